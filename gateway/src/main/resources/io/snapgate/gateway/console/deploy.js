// The Deploy panel: POST /v1/snapshots?tag=NAME with a guest ELF as the body; shows the functions it exported, or
// why the gateway refused it. Each source the gateway takes is one fieldset of the form; a JavaScript source (a
// text area sent as Content-Type: application/javascript) becomes a second one beside the ELF's.
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
  const file = byId('deploy-file').files[0];
  const status = byId('deploy-status');
  showError(byId('deploy-error'), null);
  fill(byId('deploy-result'));
  if (!tag.value || !file) {
    fill(status, !tag.value ? 'Name a tag.' : 'Choose an ELF file.');
    (!tag.value ? tag : byId('deploy-file')).focus();
    return;
  }
  fill(status, `Building ${tag.value} from ${file.name} (${size(file.size)})…`);
  try {
    const answer = await request('POST', '/v1/snapshots?tag=' + encodeURIComponent(tag.value),
      {body: file, contentType: 'application/octet-stream'});
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
