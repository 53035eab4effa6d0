// The Call panel: a stateless call of any function of any snapshot.
import {callForm, functionUrl} from './call-form.js';
import {byId, fill, showError} from './dom.js';
import {listSnapshots, snapshotOptions} from './snapshots.js';

let snapshots = [];
let preferred = null;

export const callPanel = {
  id: 'call',
  init() {
    byId('call-snapshot').addEventListener('change', build);
  },
  /** The snapshot the panel shows next (after a deploy). */
  prefer(ref) {
    preferred = ref;
  },
  async show() {
    try {
      snapshots = await listSnapshots();
      showError(byId('call-error'), null);
      snapshotOptions(byId('call-snapshot'), snapshots, preferred);
      preferred = null;
      build();
    } catch (e) {
      fill(byId('call-form'));
      showError(byId('call-error'), e);
    }
  },
};

function build() {
  const ref = byId('call-snapshot').value;
  const snapshot = snapshots.find((s) => s.tags.includes(ref) || s.digest === ref);
  if (snapshot) {
    callForm(byId('call-form'), snapshot.functions, (name) => functionUrl(ref, name));
  } else {
    fill(byId('call-form'));
  }
}
