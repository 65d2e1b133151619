import {el} from './dom.js';

/** The pixel's heading and its tabs: Setup, Goals, Triggers, Report. */
export function pixelHeader(pixel, current) {
  const base = `#/pixels/${encodeURIComponent(pixel.id)}`;
  const tab = (href, text, name) => el('a', {href, 'aria-current': name === current ? 'page' : null}, text);
  return [
    el('p', {}, el('a', {href: '#/pixels'}, '← All pixels')),
    el('h1', {}, pixel.name, ' ',
      el('span', {class: `badge ${pixel.enabled ? 'on' : 'off'}`}, pixel.enabled ? 'Enabled' : 'Disabled')),
    el('nav', {class: 'tabs', 'aria-label': 'Pixel'},
      tab(base, 'Setup', 'setup'), tab(`${base}/goals`, 'Goals', 'goals'), tab(`${base}/triggers`, 'Triggers', 'triggers'),
      tab(`${base}/report`, 'Report', 'report')),
  ];
}
