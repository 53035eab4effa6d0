// A line chart on a canvas, drawn by hand: series of equal length, oldest first, right-aligned in slots points
// (so a young series fills only the recent end), the y axis from 0 to the largest value. Callers put the latest
// values in the canvas's aria-label for readers that cannot see it.

export function drawChart(canvas, series, unit, slots) {
  const context = canvas.getContext('2d');
  const {width, height} = canvas;
  const style = getComputedStyle(document.documentElement);
  const pad = {left: 56, right: 8, top: 8, bottom: 18};
  context.clearRect(0, 0, width, height);
  const values = series.flatMap((s) => s.values).filter((v) => v !== null);
  const max = niceMax(Math.max(0, ...values));
  const length = Math.max(2, slots, ...series.map((s) => s.values.length));
  const x = (i) => pad.left + (width - pad.left - pad.right) * i / (length - 1);
  const y = (v) => height - pad.bottom - (height - pad.top - pad.bottom) * v / max;

  context.strokeStyle = style.getPropertyValue('--line');
  context.fillStyle = style.getPropertyValue('--muted');
  context.font = '11px system-ui, sans-serif';
  for (const fraction of [0, 0.5, 1]) {
    const v = max * fraction;
    context.beginPath();
    context.moveTo(pad.left, y(v));
    context.lineTo(width - pad.right, y(v));
    context.stroke();
    context.fillText(format(v) + ' ' + unit, 2, y(v) + 4);
  }
  context.fillText('now', width - pad.right - 20, height - 4);
  for (const s of series) {
    context.strokeStyle = style.getPropertyValue(s.color);
    context.lineWidth = 2;
    context.beginPath();
    let drawing = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        drawing = false;
      } else if (drawing) {
        context.lineTo(x(i + length - s.values.length), y(v));
      } else {
        context.moveTo(x(i + length - s.values.length), y(v));
        drawing = true;
      }
    });
    context.stroke();
  }
  context.lineWidth = 1;
}

/** 1, 2 or 5 times a power of ten at or above value (at least 1). */
function niceMax(value) {
  const power = 10 ** Math.floor(Math.log10(Math.max(value, 1e-9)));
  const nice = [1, 2, 5, 10].map((m) => m * power).find((m) => m >= value);
  return Math.max(nice, value > 0 ? 0 : 1);
}

export const format = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
