// Small helpers to build the page. Text always goes in as text nodes (never as HTML),
// so names, titles and URLs typed by anyone cannot become markup or script.

/** el('button', {class: 'x', onclick: fn}, 'Text', childNode, [more]) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      node.className = value;
    } else if (key === 'value' || key === 'checked' || key === 'selected') {
      node[key] = value;
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

let ids = 0;
/** A unique id for tying a label or description to its control. */
export function uid(prefix = 'f') {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A labelled control: the label element wraps the text and the input. */
export function field(text, control, hint) {
  const label = el('label', {}, el('span', {}, text), control);
  if (hint) {
    const id = uid('hint');
    control.setAttribute('aria-describedby', id);
    label.append(el('small', {id, class: 'muted'}, hint));
  }
  return label;
}

export function select(name, options, current) {
  return el('select', {name}, options.map(([value, text]) =>
    el('option', {value, selected: value === current}, text)));
}

export function notice(text, kind = 'info') {
  return el('p', {class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status'}, text);
}

export function section(title, ...children) {
  const id = uid('h');
  return el('section', {class: 'card', 'aria-labelledby': id}, el('h2', {id}, title), ...children);
}

/** Speaks a short message to screen-reader users (and shows nothing). */
export function announce(text) {
  const a = document.getElementById('announcer');
  if (a) a.textContent = text;
}

/** Copies text; falls back to a hidden textarea where the Clipboard API is not available. */
export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch (e) {
    // fall through to the old way (permission refused, document not focused…)
  }
  const area = el('textarea', {readonly: true, 'aria-hidden': 'true', class: 'visually-hidden'});
  area.value = text;
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch (e) {
    ok = false;
  }
  area.remove();
  return ok;
}

/** A button that copies what getText() returns and says so. */
export function copyButton(getText, what) {
  const button = el('button', {type: 'button', class: 'secondary', 'aria-label': `Copy ${what}`}, 'Copy');
  button.addEventListener('click', async () => {
    const ok = await copyText(getText());
    button.textContent = ok ? 'Copied' : 'Select and copy';
    announce(ok ? `${what} copied` : `Could not copy ${what}; select the text and copy it`);
    setTimeout(() => { button.textContent = 'Copy'; }, 2000);
  });
  return button;
}

/** A table whose cells are given as text or nodes. */
export function table(headers, rows, {caption, numeric = []} = {}) {
  return el('div', {class: 'table-wrap'}, el('table', {},
    caption ? el('caption', {class: 'visually-hidden'}, caption) : null,
    el('thead', {}, el('tr', {}, headers.map((h, i) =>
      el('th', {scope: 'col', class: numeric.includes(i) ? 'num' : null}, h)))),
    el('tbody', {}, rows)));
}

export function row(cells, numeric = [], attrs = {}) {
  return el('tr', attrs, cells.map((c, i) => el('td', {class: numeric.includes(i) ? 'num' : null}, c)));
}

/** The DB-IP credit the licence asks for, where a response carries country data from it. */
export function geoAttribution(response) {
  if (!response || !response.attribution) return null;
  return el('p', {class: 'attribution'},
    el('a', {href: 'https://db-ip.com', rel: 'noopener noreferrer', target: '_blank'}, 'IP Geolocation by DB-IP'));
}

export function formatTime(value) {
  if (!value) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toLocaleString();
}

export function formatNumber(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(Number(value))) return '—';
  return Number(value).toLocaleString(undefined, {maximumFractionDigits: digits, minimumFractionDigits: 0});
}

export function formatPercent(value) {
  if (value === null || value === undefined) return '—';
  const v = Number(value);
  return `${(v <= 1 ? v * 100 : v).toLocaleString(undefined, {maximumFractionDigits: 1})} %`;
}

export function formatMoney(value, currency) {
  if (value === null || value === undefined) return '—';
  if (!currency) return `${formatNumber(value, 2)} pts`;
  try {
    return Number(value).toLocaleString(undefined, {style: 'currency', currency});
  } catch (e) {
    return `${formatNumber(value, 2)} ${currency}`;
  }
}
