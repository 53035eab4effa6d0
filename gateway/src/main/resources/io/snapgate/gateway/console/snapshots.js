// The Snapshots panel: the store's (or cluster's) snapshots with their functions; details (backend, generation,
// host functions, holders) on demand; deleting a tag after a confirmation.
import {request, seg} from './api.js';
import {byId, describe, el, fill, showError, size} from './dom.js';

/** GET /v1/snapshots: [{digest, tags, memoryBytes, created, functions}]. */
export async function listSnapshots() {
  return (await request('GET', '/v1/snapshots')).data.snapshots;
}

/**
 * Fills a select with one option per tag (a snapshot without tags by its digest), choosing wanted, else keeping
 * the choice it had.
 */
export function snapshotOptions(select, snapshots, wanted = null) {
  const before = wanted || select.value;
  fill(select, snapshots.flatMap((s) => (s.tags.length ? s.tags : [s.digest])
    .map((ref) => el('option', {value: ref}, ref))));
  if ([...select.options].some((o) => o.value === before)) {
    select.value = before;
  }
}

export const snapshotsPanel = {
  id: 'snapshots',
  init() {
    byId('snapshots-refresh').addEventListener('click', () => this.show());
  },
  async show() {
    const error = byId('snapshots-error');
    const body = byId('snapshots-table').tBodies[0];
    try {
      const snapshots = await listSnapshots();
      showError(error, null);
      fill(body, snapshots.map(row));
      if (!snapshots.length) {
        body.append(el('tr', {}, el('td', {colspan: 6}, 'No snapshots yet: deploy one.')));
      }
    } catch (e) {
      fill(body);
      showError(error, e);
    }
  },
};

function row(snapshot) {
  const ref = snapshot.tags[0] || snapshot.digest;
  return el('tr', {},
    el('td', {'data-label': 'Tag'}, snapshot.tags.length ? snapshot.tags.join(', ') : '(untagged)'),
    el('td', {'data-label': 'Digest', class: 'mono', title: snapshot.digest},
      snapshot.digest.replace(/^(sha256:.{12}).*/, '$1…')),
    el('td', {'data-label': 'Memory'}, size(snapshot.memoryBytes)),
    el('td', {'data-label': 'Created'}, new Date(snapshot.created).toLocaleString()),
    el('td', {'data-label': 'Functions'}, el('ul', {class: 'functions'},
      snapshot.functions.map((f) => el('li', {class: 'mono'}, f.signature)))),
    el('td', {}, el('div', {class: 'row'},
      el('button', {type: 'button', onclick: () => details(ref)}, 'Details',
        el('span', {class: 'sr-only'}, ' of ' + ref)),
      snapshot.tags.map((tag) => el('button', {type: 'button', class: 'danger', onclick: () => remove(tag)},
        'Delete ' + tag)))));
}

async function details(ref) {
  const card = byId('snapshot-details');
  card.hidden = false;
  try {
    const info = (await request('GET', '/v1/snapshots/' + seg(ref))).data;
    const facts = el('dl', {class: 'facts'});
    const fact = (name, value) => facts.append(el('dt', {}, name), el('dd', {}, value));
    fact('Tags', info.tags.join(', '));
    fact('Digest', el('code', {}, info.digest));
    fact('Built by backend', info.createdBy);
    fact('Generation', String(info.generation));
    fact('Host functions', el('ul', {class: 'functions'}, info.hostFunctions.map((f) => el('li', {class: 'mono'},
      f.signature))));
    if (info.holders) {
      fact('Holders', el('ul', {}, info.holders.map((h) => el('li', {},
        `${h.node} ${h.url} (${size(h.size)}${h.verified ? ', verified' : ''})`))));
    }
    fill(card, el('h3', {tabindex: -1}, 'Snapshot ' + ref), facts);
  } catch (e) {
    fill(card, el('h3', {tabindex: -1}, 'Snapshot ' + ref), el('p', {class: 'error', role: 'alert'}, describe(e)));
  }
  card.querySelector('h3').focus();
}

async function remove(tag) {
  if (!confirm(`Delete the tag ${tag}? Sandboxes running it keep working; its blobs stay until snapgate gc.`)) {
    return;
  }
  try {
    await request('DELETE', '/v1/snapshots/' + seg(tag));
    byId('snapshot-details').hidden = true;
    await snapshotsPanel.show();
  } catch (e) {
    showError(byId('snapshots-error'), e);
  }
}
