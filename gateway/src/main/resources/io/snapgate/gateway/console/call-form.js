// The form that calls one function, typed by its signature; the Call panel and a session use it with their own
// URLs. Shows the result, the error (beside the argument the gateway named), the timing split and a curl line.
import {request, seg, toJson, token} from './api.js';
import {describe, el, fill, uid} from './dom.js';
import {bytesViews, control, FieldError} from './values.js';

/**
 * Fills container with a call form for functions ([{name, parameters, returns, signature}]); urlOf(name) is the
 * path a call goes to; onCalled(error) runs after each answer, error null on success (a session then counts its
 * idle time from now, or is forgotten when the gateway no longer knows it).
 */
export function callForm(container, functions, urlOf, onCalled = () => {}) {
  const prefix = uid('call');
  const select = el('select', {id: prefix + '-function'},
    functions.map((f) => el('option', {value: f.name}, f.signature)));
  const params = el('div');
  const deadline = el('input', {id: prefix + '-deadline', type: 'number', min: 1, step: 1, inputmode: 'numeric'});
  const error = el('p', {class: 'error', role: 'alert', hidden: true});
  const output = el('div', {'aria-live': 'polite'});
  const curl = el('textarea', {id: prefix + '-curl', readonly: true, rows: 3, hidden: true});
  const curlLabel = el('label', {for: curl.id, hidden: true}, 'curl');
  const curlStatus = el('p', {role: 'status'});
  let fields = [];

  const form = el('form', {novalidate: true, class: 'call-form'},
    el('div', {class: 'field'}, el('label', {for: select.id}, 'Function'), select),
    params,
    el('div', {class: 'field'}, el('label', {for: deadline.id}, 'Deadline (ms, optional)'), deadline),
    el('div', {class: 'row'}, el('button', {type: 'submit'}, 'Call'),
      el('button', {type: 'button', onclick: copyCurl}, 'Copy as curl')),
    error, output, curlLabel, curl, curlStatus);
  fill(container, form);

  const chosen = () => functions.find((f) => f.name === select.value);

  function buildFields() {
    const fn = chosen();
    fields = fn ? fn.parameters.map((type, index) => field(prefix, type, index)) : [];
    fill(params, fields.map((f) => f.node));
    if (fn && !fields.length) {
      params.append(el('p', {}, 'No arguments.'));
    }
  }

  /** The request body, or null after showing the first field the console cannot send. */
  function body() {
    fields.forEach((f) => f.setError(null));
    const args = [];
    for (const f of fields) {
      try {
        args.push(f.read());
      } catch (e) {
        if (!(e instanceof FieldError)) {
          throw e;
        }
        f.setError(e.message);
        return null;
      }
    }
    const json = {args};
    if (deadline.value) {
      json.deadlineMs = JSON.rawJSON(String(Math.trunc(Number(deadline.value))));
    }
    return json;
  }

  async function call(event) {
    event.preventDefault();
    const json = body();
    fill(output);
    error.hidden = true;
    if (!json || !chosen()) {
      return;
    }
    let failure = null;
    try {
      const answer = await request('POST', urlOf(chosen().name), {json});
      fill(output, result(answer, chosen().returns));
    } catch (e) {
      failure = e;
      error.hidden = false;
      fill(error, describe(e));
      const argument = e.detail && e.detail.argument;
      if (Number.isInteger(argument) && fields[argument]) {
        fields[argument].setError(e.message);
      }
    }
    onCalled(failure);
  }

  async function copyCurl() {
    const json = body();
    if (!json || !chosen()) {
      return;
    }
    curl.value = curlLine(urlOf(chosen().name), toJson(json));
    curl.hidden = curlLabel.hidden = false;
    curl.select();
    try {
      await navigator.clipboard.writeText(curl.value);
      fill(curlStatus, 'Copied to the clipboard.');
    } catch {
      fill(curlStatus, 'Selected above: copy it with Ctrl+C.');
    }
  }

  select.addEventListener('change', buildFields);
  form.addEventListener('submit', call);
  buildFields();
}

/** A labelled control for argument index, with its hint and the place its error shows. */
function field(prefix, type, index) {
  const id = `${prefix}-arg${index}`;
  const hint = el('small', {id: id + '-hint'});
  const message = el('p', {id: id + '-error', class: 'field-error', hidden: true});
  const input = control(type, id, `${hint.id} ${message.id}`);
  fill(hint, input.hint);
  return {
    node: el('div', {class: 'field'}, el('label', {for: id}, `Argument ${index} (${type})`),
      el('div', {class: 'row'}, input.controls), hint, message),
    read: input.read,
    setError(text) {
      message.hidden = !text;
      fill(message, text || '');
      input.focus.setAttribute('aria-invalid', text ? 'true' : 'false');
      if (text) {
        input.focus.focus();
      }
    },
  };
}

function result(answer, returns) {
  const value = answer.data.result;
  const views = [el('h4', {}, 'Result'), el('pre', {class: 'result', 'data-result': ''}, toJson(value, 2))];
  if (returns === 'bytes' && typeof value === 'string') {
    const decoded = bytesViews(value);
    views.push(el('p', {}, 'hex: ', el('code', {}, decoded.hex)));
    if (decoded.text !== undefined) {
      views.push(el('p', {}, 'as text: ', el('code', {}, decoded.text)));
    }
  }
  const timing = serverTiming(answer.headers.get('Server-Timing'));
  const facts = el('dl', {class: 'facts timing'});
  const fact = (name, text) => facts.append(el('dt', {}, name), el('dd', {}, text));
  if (timing.guest !== undefined) {
    fact('guest', ms(timing.guest));
  }
  if (timing.gateway !== undefined) {
    fact('gateway', ms(timing.gateway));
    if (timing.guest !== undefined) {
      fact('gateway adds', ms(Math.max(0, timing.gateway - timing.guest)));
    }
  }
  fact('round trip', ms(answer.millis));
  views.push(el('h4', {}, 'Timing'), facts);
  return views;
}

/** {gateway: ms, guest: ms} from "gateway;dur=0.241, guest;dur=0.031". */
export function serverTiming(header) {
  const timing = {};
  for (const metric of (header || '').split(',')) {
    const match = /^\s*([\w-]+)\s*;.*\bdur=([\d.]+)/.exec(metric);
    if (match) {
      timing[match[1]] = Number(match[2]);
    }
  }
  return timing;
}

const ms = (value) => value.toFixed(3) + ' ms';

/** A shell line for the same call: single-quoted, the token left as $SNAPGATE_TOKEN rather than written out. */
function curlLine(path, body) {
  const quote = (text) => "'" + text.replaceAll("'", "'\\''") + "'";
  return 'curl -s -X POST ' + quote(location.origin + path) + " -H 'Content-Type: application/json'"
    + (token.get() ? ' -H "Authorization: Bearer $SNAPGATE_TOKEN"' : '') + ' -d ' + quote(body);
}

export const functionUrl = (snapshot, name) => `/v1/snapshots/${seg(snapshot)}/functions/${seg(name)}`;
