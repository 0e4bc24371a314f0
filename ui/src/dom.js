// Building the page. Every string becomes a text node or an attribute value: nothing here parses
// HTML, so data from the API cannot become markup (only markdown.js inserts HTML, sanitized).

const SAFE_URL = /^(#|\/(?!\/)|https?:|mailto:|blob:)/i;

// h('a', {href: '#/plan', class: 'x', onclick: fn}, 'text', child, [more children])
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key.startsWith('on')) {
        if (typeof value !== 'function') throw new Error(`h: ${key} must be a function`);
        el.addEventListener(key.slice(2).toLowerCase(), value);
      } else if (key === 'style') {
        throw new Error('h: inline styles are not allowed (Content-Security-Policy)');
      } else if (key === 'class') {
        el.className = value;
      } else if (key === 'value' || key === 'checked' || key === 'selected') {
        el[key] = value;
      } else if ((key === 'href' || key === 'src' || key === 'action') && !SAFE_URL.test(String(value))) {
        continue; // javascript:, data: and the like never reach an attribute
      } else {
        el.setAttribute(key, value === true ? '' : String(value));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

// A live region's text (screen readers announce it).
export function announce(region, text) {
  region.textContent = '';
  region.textContent = text;
}

let ids = 0;
export function uniqueId(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}

// Saves `text` as a file through a temporary object URL.
export function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name, class: 'visually-hidden' }, name);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
