// The console's entry: one panel shown at a time, chosen by the URL's fragment (#snapshots, #call...), and the
// bearer token this tab sends, asked for when the gateway refuses a request.
import {onRefused, token} from './api.js';
import {byId, describe, fill} from './dom.js';
import {callPanel} from './call.js';
import {deployPanel} from './deploy.js';
import {nodePanel} from './node.js';
import {sessionsPanel} from './sessions.js';
import {snapshotsPanel} from './snapshots.js';

const panels = [snapshotsPanel, callPanel, sessionsPanel, deployPanel, nodePanel];

function current() {
  const id = location.hash.slice(1);
  return panels.find((p) => p.id === id) || panels[0];
}

function route(moveFocus) {
  const shown = current();
  for (const panel of panels) {
    byId(panel.id).hidden = panel !== shown;
  }
  for (const link of document.querySelectorAll('nav a')) {
    if (link.getAttribute('href') === '#' + shown.id) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  if (moveFocus) {
    const title = byId(shown.id + '-title');
    title.setAttribute('tabindex', '-1');
    title.focus();
  }
  shown.show();
}

function showTokenForm(reason) {
  const form = byId('token-form');
  fill(byId('token-reason'), reason);
  form.hidden = false;
  byId('token-button').setAttribute('aria-expanded', 'true');
  byId('token-input').focus();
}

function hideTokenForm() {
  byId('token-form').hidden = true;
  byId('token-button').setAttribute('aria-expanded', 'false');
}

onRefused((error) => showTokenForm(error.status === 401
  ? 'This gateway needs a bearer token (' + describe(error) + ').'
  : 'Refused: ' + describe(error) + '. Enter another token, or ask for one that allows this.'));

byId('token-button').addEventListener('click', () => (byId('token-form').hidden
  ? showTokenForm(token.get() ? 'A token is set for this tab; enter another to replace it.' : '')
  : hideTokenForm()));
byId('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  token.set(byId('token-input').value.trim());
  byId('token-input').value = '';
  hideTokenForm();
  current().show();
});
byId('token-forget').addEventListener('click', () => {
  token.clear();
  byId('token-input').value = '';
  fill(byId('token-reason'), 'Forgotten: requests now go without a token.');
});

panels.forEach((panel) => panel.init());
window.addEventListener('hashchange', () => route(true));
route(false);
