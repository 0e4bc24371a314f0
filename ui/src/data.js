// Look-ups several pages share, read once per page view.
import { get, listAll } from './api.js';

// institutions/{id} -> display name, for every institution the caller may see.
export async function institutionNames() {
  const all = await listAll('/v1/coordinator/institutions', 'institutions', { showArchived: true });
  return new Map(all.map((i) => [i.name, i.displayName]));
}

export function nameOf(names, resource) {
  return names.get(resource) || resource || '';
}

// The last path segment of a resource name ("plans/nap/measures/x" -> "x").
export function idOf(resource) {
  return String(resource || '').split('/').pop();
}

// A call whose failure the page shows in place instead of failing the whole page.
export async function settle(promise) {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

// The plans the caller may see, newest adoption first; `adopted` keeps ADOPTED and CLOSED.
export async function visiblePlans({ adopted = false } = {}) {
  const plans = await listAll('/v1/coordinator/plans', 'plans');
  const shown = adopted ? plans.filter((p) => p.state === 'STATE_ADOPTED' || p.state === 'STATE_CLOSED') : plans;
  const day = (d) => (d && d.year ? d.year * 10000 + d.month * 100 + d.day : 0);
  return shown.sort((a, b) => day(b.adoptedOn) - day(a.adoptedOn) || a.name.localeCompare(b.name));
}

export { get };
