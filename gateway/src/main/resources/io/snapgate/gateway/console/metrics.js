// Reads the Prometheus text of /metrics: the gauges the Node panel shows, and from two scrapes the calls per
// second and latency percentiles between them (from snapgate_call_duration_seconds' cumulative buckets).

const LINE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** {time, gauges: {name: sum over labels}, calls: total, buckets: [[le seconds, cumulative count]]} */
export function scrape(text, time) {
  const gauges = {};
  const buckets = new Map();
  for (const line of text.split('\n')) {
    const match = LINE.exec(line);
    if (!match || !match[1].startsWith('snapgate_')) {
      continue;
    }
    const [, name, labels, raw] = match;
    const value = Number(raw);
    if (name === 'snapgate_call_duration_seconds_bucket') {
      const le = [...(labels || '').matchAll(LABEL)].find((l) => l[1] === 'le');
      const bound = le[2] === '+Inf' ? Infinity : Number(le[2]);
      buckets.set(bound, (buckets.get(bound) || 0) + value);
    } else {
      gauges[name] = (gauges[name] || 0) + value;
    }
  }
  return {time, gauges, calls: gauges.snapgate_calls_total || 0,
    buckets: [...buckets].sort((a, b) => a[0] - b[0])};
}

/** {rate: calls/s, p50, p95, p99: ms or null} between two scrapes; null when the counters went back (a restart). */
export function between(before, after) {
  const seconds = (after.time - before.time) / 1000;
  const calls = after.calls - before.calls;
  if (seconds <= 0 || calls < 0) {
    return null;
  }
  const earlier = new Map(before.buckets);
  const deltas = after.buckets.map(([le, count]) => [le, count - (earlier.get(le) || 0)]);
  return {rate: calls / seconds, p50: percentile(deltas, 0.5), p95: percentile(deltas, 0.95),
    p99: percentile(deltas, 0.99)};
}

/** The q-quantile in ms, interpolated within its bucket (the last finite bound when it falls past them). */
function percentile(cumulative, q) {
  const total = cumulative.length ? cumulative[cumulative.length - 1][1] : 0;
  if (total <= 0) {
    return null;
  }
  const target = q * total;
  let lower = 0;
  let below = 0;
  for (const [le, count] of cumulative) {
    if (count >= target) {
      if (le === Infinity) {
        return lower * 1000;
      }
      return (lower + (le - lower) * (count > below ? (target - below) / (count - below) : 1)) * 1000;
    }
    lower = le;
    below = count;
  }
  return lower * 1000;
}
