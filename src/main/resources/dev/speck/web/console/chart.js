import {el} from './dom.js';

const COLORS = ['#1f5fd1', '#9aa6b8', '#d1621f', '#2b9348'];
const HEIGHT = 280;

/** Seconds since the epoch from what the API gives for a time: ISO text or a number. */
export function toSeconds(t) {
  if (typeof t === 'number') return t > 1e11 ? t / 1000 : t;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : ms / 1000;
}

/**
 * Draws a time series with uPlot into container. series: [{label, values, dashed}], all as long
 * as xs (seconds). Returns a function that removes the chart.
 */
export function drawChart(container, xs, series, description) {
  container.replaceChildren();
  container.setAttribute('role', 'img');
  container.setAttribute('aria-label', description);
  if (typeof window.uPlot !== 'function') {
    container.append(el('p', {class: 'muted'}, 'The chart could not load; the table shows the numbers.'));
    return () => {};
  }
  const opts = {
    width: Math.max(container.clientWidth, 280),
    height: HEIGHT,
    scales: {x: {time: true}},
    series: [{}, ...series.map((s, i) => ({
      label: s.label, stroke: COLORS[i % COLORS.length], width: 2, dash: s.dashed ? [6, 4] : undefined,
      points: {show: xs.length < 60},
    }))],
    axes: [{}, {size: 60}],
  };
  const plot = new window.uPlot(opts, [xs, ...series.map((s) => s.values)], container);
  const resize = new ResizeObserver(() => plot.setSize({width: Math.max(container.clientWidth, 280), height: HEIGHT}));
  resize.observe(container);
  return () => {
    resize.disconnect();
    plot.destroy();
  };
}
