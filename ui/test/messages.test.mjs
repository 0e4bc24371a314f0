// The message catalogues are complete: English and French have the same keys and placeholders,
// every key the code asks for exists, and every value of every enum in the contracts has a label.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = new URL('../..', import.meta.url).pathname;
const en = (await import(join(root, 'ui/src/messages/en.js'))).default;
const fr = (await import(join(root, 'ui/src/messages/fr.js'))).default;

function files(dir, ext) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, ext);
    return path.endsWith(ext) ? [path] : [];
  });
}

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('English and French have the same keys and placeholders', () => {
  assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en)) {
    assert.deepEqual(placeholders(fr[key]), placeholders(en[key]), `placeholders of ${key}`);
    assert.ok(fr[key].trim().length > 0, `empty French message ${key}`);
  }
});

test('French is a translation, not a copy', () => {
  // Words that read the same in both languages are allowed; most messages must differ.
  const same = Object.keys(en).filter((k) => en[k] === fr[k]);
  assert.ok(same.length < Object.keys(en).length * 0.1, `untranslated: ${same.join(', ')}`);
});

test('every message the code asks for exists', () => {
  const used = new Set();
  for (const file of files(join(root, 'ui/src'), '.js')) {
    if (file.includes('/messages/')) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\('([\w.]+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/title: '([\w.]+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/\['[\w]*', '(nav\.\w+)'/g)) used.add(m[1]);
  }
  const missing = [...used].filter((k) => !(k in en));
  assert.deepEqual(missing, []);
  assert.ok(used.size > 100, `only ${used.size} keys found: the scan is broken`);
});

test('every enum value of the contracts has a label', () => {
  const missing = [];
  for (const file of files(join(root, 'protos/thb'), '.proto')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\n(\s*)enum (\w+) \{([\s\S]*?)\n\1\}/g)) {
      for (const v of m[3].matchAll(/^\s+([A-Z0-9_]+) = \d+;/gm)) {
        const value = v[1];
        if (value.endsWith('_UNSPECIFIED')) continue;
        const known = Object.keys(en).some((k) => k === `enum.${value}` || k.endsWith(`.${value}`) && k.startsWith('enum.'));
        if (!known) missing.push(`${m[2]}.${value}`);
      }
    }
  }
  assert.deepEqual(missing, []);
});
