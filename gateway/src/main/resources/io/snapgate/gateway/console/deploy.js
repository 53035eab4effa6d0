// The Deploy panel: POST /v1/snapshots?tag=NAME with a guest ELF, or a JavaScript source sent as
// Content-Type: application/javascript, as the body; shows the functions it exported, or why the gateway refused it
// (a script's syntax error with its line). Each source is one fieldset of the form; exactly one is sent.
import {request} from './api.js';
import {callPanel} from './call.js';
import {byId, el, fill, showError, size} from './dom.js';

export const deployPanel = {
  id: 'deploy',
  init() {
    byId('deploy-form').addEventListener('submit', deploy);
  },
  show() {
  },
};

async function deploy(event) {
  event.preventDefault();
  const tag = byId('deploy-tag');
  const status = byId('deploy-status');
  showError(byId('deploy-error'), null);
  fill(byId('deploy-result'));
  const source = chosenSource();
  if (!tag.value || source.problem) {
    fill(status, !tag.value ? 'Name a tag.' : source.problem);
    (!tag.value ? tag : source.field).focus();
    return;
  }
  fill(status, `Building ${tag.value} from ${source.what}…`);
  try {
    const answer = await request('POST', '/v1/snapshots?tag=' + encodeURIComponent(tag.value),
      {body: source.body, contentType: source.contentType});
    const snapshot = answer.data;
    const deployed = snapshot.tags[0];
    fill(status, `Deployed ${snapshot.tags.join(', ')} (${snapshot.digest}).`);
    fill(byId('deploy-result'), el('h3', {}, 'Exported functions'), el('ul', {class: 'functions'},
      snapshot.functions.map((f) => el('li', {class: 'mono'}, f.signature))),
    el('p', {}, el('a', {href: '#call', onclick: () => callPanel.prefer(deployed)}, 'Call it')));
  } catch (e) {
    fill(status, 'Not deployed.');
    showError(byId('deploy-error'), e);
  }
}

/** The one source filled in: {body, contentType, what}, or {problem, field} when none or both are. */
function chosenSource() {
  const fileField = byId('deploy-file');
  const scriptField = byId('deploy-script');
  const file = fileField.files[0];
  const script = scriptField.value;
  if (file && script.trim()) {
    return {problem: 'Choose an ELF file or write a script, not both.', field: scriptField};
  }
  if (file) {
    return {body: file, contentType: 'application/octet-stream', what: `${file.name} (${size(file.size)})`};
  }
  if (script.trim()) {
    return {body: script, contentType: 'application/javascript', what: `a script of ${size(
      new TextEncoder().encode(script).length)}`};
  }
  return {problem: 'Choose an ELF file or write a JavaScript source.', field: fileField};
}
