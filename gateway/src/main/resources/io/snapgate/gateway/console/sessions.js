// The Sessions panel: open a session on a snapshot, call into it, restore it, save it as a snapshot, close it.
// The sessions this tab opened are kept in sessionStorage (ids are secrets: never in the URL, gone with the tab),
// with the idle time each has left before the gateway ends it.
import {request, seg} from './api.js';
import {callForm} from './call-form.js';
import {byId, describe, el, fill, showError} from './dom.js';
import {listSnapshots, snapshotOptions} from './snapshots.js';

const KEY = 'snapgate.sessions';
let active = null;

/** [{id, snapshot, idleTtlSeconds, lastUsed, functions}] */
const load = () => JSON.parse(sessionStorage.getItem(KEY) || '[]');
const store = (sessions) => sessionStorage.setItem(KEY, JSON.stringify(sessions));
const find = (id) => load().find((s) => s.id === id);

function touch(id) {
  store(load().map((s) => (s.id === id ? {...s, lastUsed: Date.now()} : s)));
  renderList();
}

function forget(id) {
  store(load().filter((s) => s.id !== id));
  if (active === id) {
    active = null;
    byId('session-active').hidden = true;
  }
  renderList();
}

/** A session the gateway answered it no longer has: dropped from the list, the answer shown above it. */
function lost(id, error) {
  forget(id);
  showError(byId('sessions-error'), error);
}

export const sessionsPanel = {
  id: 'sessions',
  init() {
    byId('session-open').addEventListener('submit', open);
    byId('session-restore').addEventListener('click', () => act('restore',
      () => 'Restored: the next call starts from the snapshot (or from its last save).'));
    byId('session-close').addEventListener('click', () => close(active));
    byId('session-save').addEventListener('submit', save);
    setInterval(updateIdle, 1000);
  },
  async show() {
    renderList();
    try {
      snapshotOptions(byId('session-snapshot'), await listSnapshots());
      showError(byId('sessions-error'), null);
    } catch (e) {
      showError(byId('sessions-error'), e);
    }
  },
};

async function open(event) {
  event.preventDefault();
  const snapshot = byId('session-snapshot').value;
  try {
    const session = (await request('POST', '/v1/sessions', {json: {snapshot}})).data;
    showError(byId('sessions-error'), null);
    store([...load(), {id: session.id, snapshot, idleTtlSeconds: session.idleTtlSeconds, lastUsed: Date.now(),
      functions: session.functions}]);
    select(session.id);
  } catch (e) {
    showError(byId('sessions-error'), e);
  }
}

function select(id) {
  active = id;
  const session = find(id);
  renderList();
  fill(byId('session-active-title'), `Session ${short(id)} on ${session.snapshot}`);
  fill(byId('session-status'));
  byId('session-active').hidden = false;
  callForm(byId('session-call-form'), session.functions,
    (name) => `/v1/sessions/${seg(id)}/functions/${seg(name)}`, (error) => (ended(error) ? lost(id, error) : touch(id)));
  byId('session-active-title').setAttribute('tabindex', '-1');
  byId('session-active-title').focus();
}

/** A POST on the active session, path under /v1/sessions/{id}; done(answer) says what happened. */
async function act(path, done, query = '') {
  const id = active;
  const status = byId('session-status');
  try {
    const answer = await request('POST', `/v1/sessions/${seg(id)}/${path}${query}`);
    touch(id);
    fill(status, done(answer));
  } catch (e) {
    fill(status, el('span', {class: 'error'}, describe(e)));
    if (ended(e)) {
      lost(id, e);
    }
  }
}

/** Ends a session (one the gateway ended already is forgotten all the same). */
async function close(id) {
  try {
    await request('DELETE', '/v1/sessions/' + seg(id));
    showError(byId('sessions-error'), null);
  } catch (e) {
    if (!ended(e)) {
      showError(byId('sessions-error'), e);
      return;
    }
  }
  forget(id);
  byId('session-snapshot').focus();
}

function save(event) {
  event.preventDefault();
  const tag = byId('session-save-tag').value;
  act('snapshot', (answer) => `Saved as ${tag} (${answer.data.digest}).`,
    '?tag=' + encodeURIComponent(tag));
}

function renderList() {
  const sessions = load();
  fill(byId('sessions-table').tBodies[0], sessions.map((s) => el('tr', {'aria-current': s.id === active || null},
    el('td', {'data-label': 'Session', class: 'mono', title: s.id}, short(s.id)),
    el('td', {'data-label': 'Snapshot'}, s.snapshot),
    el('td', {'data-label': 'Idle time left', 'data-idle': s.id}, idleLeft(s)),
    el('td', {}, el('div', {class: 'row'},
      el('button', {type: 'button', onclick: () => select(s.id)}, 'Use',
        el('span', {class: 'sr-only'}, ' session ' + short(s.id))),
      el('button', {type: 'button', onclick: () => close(s.id)}, 'Close',
        el('span', {class: 'sr-only'}, ' session ' + short(s.id))))))));
  if (!sessions.length) {
    byId('sessions-table').tBodies[0].append(el('tr', {}, el('td', {colspan: 4}, 'None open from this tab.')));
  }
}

function updateIdle() {
  for (const s of load()) {
    const cell = document.querySelector(`td[data-idle="${CSS.escape(s.id)}"]`);
    if (cell) {
      cell.textContent = idleLeft(s);
    }
  }
}

function idleLeft(session) {
  const left = Math.round(session.idleTtlSeconds - (Date.now() - session.lastUsed) / 1000);
  return left > 0 ? `${left} s` : 'expired (the gateway ended it)';
}

/** The gateway no longer has the session: it expired, was closed, or its node left the cluster. */
const ended = (error) => error && (error.code === 'UNKNOWN_SESSION' || error.code === 'SESSION_GONE');

const short = (id) => (id.length > 14 ? id.slice(0, 14) + '…' : id);
