import {el, clear, notice} from './dom.js';
import {pixelsPage} from './pixels.js';
import {pixelPage} from './pixel.js';
import {goalsPage} from './goals.js';
import {reportPage} from './report.js';
import {settingsPage} from './settings.js';

// Hash routes: #/pixels, #/pixels/{id}, #/pixels/{id}/goals, #/pixels/{id}/report.
const routes = [
  [/^#?\/?(pixels)?\/?$/, () => pixelsPage],
  [/^#\/pixels\/([^/]+)\/?$/, () => pixelPage],
  [/^#\/pixels\/([^/]+)\/goals\/?$/, () => goalsPage],
  [/^#\/pixels\/([^/]+)\/report\/?$/, () => reportPage],
  [/^#\/settings\/?$/, () => settingsPage],
];

const view = document.getElementById('view');
let cleanup = null;
let generation = 0;

async function render() {
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  const hash = location.hash.split('?')[0];
  const mine = ++generation;
  clear(view);
  const match = routes.find(([pattern]) => pattern.test(hash));
  if (!match) {
    view.append(el('h1', {}, 'Page not found'), el('p', {}, el('a', {href: '#/pixels'}, 'Back to the pixels')));
    return;
  }
  const [, param] = hash.match(match[0]);
  const page = match[1]();
  const context = {
    pixelId: param && param !== 'pixels' ? decodeURIComponent(param) : null,
    isCurrent: () => mine === generation,
    onLeave: (fn) => {
      const previous = cleanup;
      cleanup = () => { if (previous) previous(); fn(); };
    },
  };
  try {
    await page(view, context);
  } catch (e) {
    if (context.isCurrent()) view.append(notice(e.message || String(e), 'error'));
  }
  if (context.isCurrent()) {
    const heading = view.querySelector('h1');
    document.title = heading ? `${heading.textContent} · Speck` : 'Speck console';
  }
}

window.addEventListener('hashchange', () => {
  render().then(() => view.focus({preventScroll: true}));
});
render();
