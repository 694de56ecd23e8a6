// DOM helpers. Text always goes in as text nodes (never parsed as HTML), and no element gets a style
// attribute: the page's Content-Security-Policy allows neither inline script nor inline style.
const SVG = 'http://www.w3.org/2000/svg';

function fill(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false || c === '') continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

// h('a', {href: '/plans'}, 'text', child, [more]) -> an element.
export const h = (tag, attrs, ...children) => fill(document.createElement(tag), attrs, children);
export const svg = (tag, attrs, ...children) => fill(document.createElementNS(SVG, tag), attrs, children);

// A definition list from [term, value] pairs; pairs whose value is empty are left out.
export function dl(pairs, cls = 'facts') {
  return h('dl', { class: cls }, pairs.filter(([, v]) => v != null && v !== '' && !(Array.isArray(v) && !v.length))
    .map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))));
}

// A table with a caption (for screen readers only when a heading above says the same): rows of cells
// (strings or nodes); the first column may be row headers. Its wrapper scrolls sideways on a narrow
// screen and can then be scrolled with the keyboard.
export function table(caption, head, rows, { rowHeaders = false, cls = '', hideCaption = false } = {}) {
  return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption },
    h('table', { class: cls },
      h('caption', { class: hideCaption ? 'visually-hidden' : null }, caption),
      h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) =>
        i === 0 && rowHeaders ? h('th', { scope: 'row' }, c) : h('td', {}, c)))))));
}

export const code = (text) => h('code', { class: 'mono' }, text);
