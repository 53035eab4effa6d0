// A typed control per parameter type and its value as the REST API takes it (docs/api.md, "Values"). The gateway
// judges every value (its message then shows beside the field); the console only shapes what it sends: integers
// and floats go as exact JSON numbers when they look like numbers, bytes as base64, json only once it parses.
import {el} from './dom.js';

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const RANGES = {
  i32: ['-2147483648', '2147483647'],
  u32: ['0', '4294967295'],
  i64: ['-9223372036854775808', '9223372036854775807'],
  u64: ['0', '18446744073709551615'],
};

/** A value the console itself cannot send (odd hex digits...): shown beside its field like a gateway's refusal. */
export class FieldError extends Error {
}

/**
 * The control for one parameter: {controls: [nodes], focus: node, hint: text, read(): value}. id is the main
 * control's id (its label points at it), describedBy the ids of its hint and error.
 */
export function control(type, id, describedBy) {
  const common = {id, 'aria-describedby': describedBy};
  if (RANGES[type]) {
    const [min, max] = RANGES[type];
    // 64-bit values go in a text field: a number field would round them to a double's 53 bits.
    const wide = type.endsWith('64');
    const input = wide
      ? el('input', {...common, type: 'text', inputmode: 'numeric', spellcheck: 'false'})
      : el('input', {...common, type: 'number', step: 1, min, max});
    return {controls: [input], focus: input, hint: `${type}: an integer from ${min} to ${max}`,
      read: () => number(input.value.trim(), INTEGER)};
  }
  if (type === 'f32' || type === 'f64') {
    const input = el('input', {...common, type: 'text', inputmode: 'decimal', spellcheck: 'false'});
    return {controls: [input], focus: input, hint: `${type}: a number, NaN, Infinity or -Infinity`,
      read: () => number(input.value.trim(), NUMBER)};
  }
  if (type === 'bool') {
    const input = el('input', {...common, type: 'checkbox'});
    return {controls: [input], focus: input, hint: 'bool: checked is true', read: () => input.checked};
  }
  if (type === 'string') {
    const input = el('textarea', {...common, rows: 2, spellcheck: 'false'});
    return {controls: [input], focus: input, hint: 'string: text, sent as it is', read: () => input.value};
  }
  if (type === 'bytes') {
    const input = el('textarea', {...common, rows: 2, spellcheck: 'false'});
    const encoding = el('select', {'aria-label': 'bytes written as'},
      el('option', {value: 'text'}, 'text (UTF-8)'), el('option', {value: 'hex'}, 'hex'),
      el('option', {value: 'base64'}, 'base64'));
    return {controls: [input, encoding], focus: input, hint: 'bytes: as text, hex or base64',
      read: () => toBase64(input.value, encoding.value)};
  }
  // json (the last type): checked here, so text that is not JSON shows beside its field and nothing is sent
  const input = el('textarea', {...common, rows: 4, spellcheck: 'false'});
  return {controls: [input], focus: input,
    hint: `${type}: any JSON value (object, array, string, number, true, false, null)`,
    read: () => jsonValue(input.value)};
}

/** Number-like text as an exact JSON number; anything else as the string it is, for the gateway to refuse. */
function number(text, shape) {
  return shape.test(text) ? JSON.rawJSON(text) : text;
}

/** JSON text as a value to send, each number kept as the exact text it was written as (64-bit, 1e400...). */
function jsonValue(text) {
  try {
    return JSON.parse(text, (key, value, context) => typeof value === 'number' ? JSON.rawJSON(context.source)
      : value);
  } catch (e) {
    throw new FieldError('not JSON: ' + e.message);
  }
}

function toBase64(text, encoding) {
  if (encoding === 'base64') {
    return text.replace(/\s+/g, '');
  }
  if (encoding === 'hex') {
    const hex = text.replace(/\s+/g, '');
    if (!/^([0-9a-fA-F]{2})*$/.test(hex)) {
      throw new FieldError('hex needs pairs of digits 0-9 a-f, ' + hex.length + ' characters given');
    }
    return bytesToBase64(Uint8Array.from(hex.match(/../g) || [], (pair) => parseInt(pair, 16)));
  }
  return bytesToBase64(new TextEncoder().encode(text));
}

export function bytesToBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** A bytes result, base64 as the gateway sends it, also as hex and (when it is UTF-8) as text. */
export function bytesViews(base64) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const views = {hex: Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ')};
  try {
    views.text = new TextDecoder('utf-8', {fatal: true}).decode(bytes);
  } catch {
    // not UTF-8: hex and base64 only
  }
  return views;
}
