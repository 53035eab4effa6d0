// The Node panel: /health and the gauges of /metrics, and charts of calls/s and latency percentiles over the last
// five minutes, sampled every 2 s from the moment the console opened (both routes are open, as for any monitor).
import {request} from './api.js';
import {byId, el, fill, showError, size} from './dom.js';
import {drawChart, format} from './chart.js';
import {between, scrape} from './metrics.js';

const PERIOD_MS = 2000;
const KEPT = 150; // five minutes of samples
const points = [];
let last = null;

export const nodePanel = {
  id: 'node',
  init() {
    poll();
    setInterval(poll, PERIOD_MS);
  },
  show() {
    draw();
  },
};

async function poll() {
  try {
    // a draining node answers 503 with the same body
    const health = await request('GET', '/health').then((a) => a.data,
      (e) => (e.status === 503 ? e.detail : Promise.reject(e)));
    const now = scrape((await request('GET', '/metrics')).text, Date.now());
    if (last) {
      points.push(between(last, now));
      points.splice(0, points.length - KEPT);
    }
    last = now;
    showError(byId('node-error'), null);
    render(health, now.gauges);
  } catch (e) {
    showError(byId('node-error'), e);
  }
}

function render(health, gauges) {
  const facts = [
    ['Status', health.status], ['Backend', health.backend], ['Workers', health.workers],
    ['Workers busy', gauges.snapgate_workers_busy], ['Calls in flight', health.callsInFlight],
    ['Queue depth', gauges.snapgate_queue_depth], ['Sessions', health.sessions], ['Store', health.store],
    ['Store size', gauges.snapgate_store_bytes === undefined ? undefined : size(gauges.snapgate_store_bytes)],
    ['Store free space', gauges.snapgate_store_free_bytes === undefined ? undefined
      : size(gauges.snapgate_store_free_bytes)],
    ['Memory reserved', health.memory
      && `${size(health.memory.reservedBytes)} of ${size(health.memory.budgetBytes)}`],
  ];
  fill(byId('node-health'), facts.filter(([, v]) => v !== undefined)
    .flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, String(value))]));
  const cluster = health.cluster;
  fill(byId('node-members'), cluster
    ? cluster.members.map((m) => el('li', {class: 'mono'}, m + (m === cluster.node ? ' (this node)' : '')))
    : el('li', {}, 'Not in a cluster.'));
  if (!byId('node').hidden) {
    draw();
  }
}

function draw() {
  const series = (key) => points.map((p) => (p ? p[key] : null));
  const latest = points.length ? points[points.length - 1] : null;
  const rate = byId('chart-rate');
  drawChart(rate, [{values: series('rate'), color: '--rate'}], '/s', KEPT);
  rate.setAttribute('aria-label', latest ? `Calls per second, now ${format(latest.rate)}`
    : 'Calls per second: no samples yet');
  const latency = byId('chart-latency');
  drawChart(latency, ['p50', 'p95', 'p99'].map((p) => ({values: series(p), color: '--' + p})), 'ms', KEPT);
  latency.setAttribute('aria-label', latest && latest.p50 !== null
    ? `Latency now: p50 ${format(latest.p50)} ms, p95 ${format(latest.p95)} ms, p99 ${format(latest.p99)} ms`
    : 'Latency: no calls in the last sample');
}
