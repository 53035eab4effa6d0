// Builds DOM nodes from text only. Nothing in the console parses HTML: tag names, guest output and error messages
// come from tenants and are hostile, so they only ever become text nodes or attribute values.

/** el('td', {class: 'mono', onclick: fn}, 'text', child, [more]) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key.startsWith('on')) {
      node.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      node.className = value;
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

/** Replaces a node's children with the given nodes and strings. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
}

export const byId = (id) => document.getElementById(id);

/** Shows an error (an ApiError or any Error) in a panel's alert paragraph, or hides it when null. */
export function showError(node, error) {
  node.hidden = !error;
  fill(node, error ? describe(error) : '');
}

/** "CODE: message", with a guest's own code and message when it sent them. */
export function describe(error) {
  const detail = error.detail || {};
  let text = (error.code ? error.code + ': ' : '') + error.message;
  if (detail.guestCode !== undefined) {
    text += '\nguest code ' + detail.guestCode + (detail.guestMessage ? ': ' + detail.guestMessage : '');
  }
  return text;
}

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];

export function size(bytes) {
  let value = Number(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return (unit === 0 ? value : value.toFixed(1)) + ' ' + UNITS[unit];
}

/** A unique id for a generated control, so labels and descriptions can point at it. */
let ids = 0;
export const uid = (prefix) => prefix + '-' + (++ids);
