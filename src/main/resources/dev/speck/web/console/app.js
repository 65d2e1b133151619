import {el, clear, notice} from './dom.js';
import {pixelsPage} from './pixels.js';
import {pixelPage} from './pixel.js';
import {goalsPage} from './goals.js';
import {triggersPage} from './triggers.js';
import {reportPage} from './report.js';
import {signInPage, accountPage, usersPage, keysPage, auditPage, loadSession, currentUser, remember} from './access.js';
import {api} from './api.js';
import {customersPage, customerPage} from './customers.js';
import {plainHttpBanner} from './server-banner.js';
import {settingsPage} from './settings.js';

// Hash routes: #/pixels, #/pixels/{id}, #/pixels/{id}/goals, #/pixels/{id}/triggers, #/pixels/{id}/report.
const routes = [
  [/^#?\/?(pixels)?\/?$/, () => pixelsPage],
  [/^#\/pixels\/([^/]+)\/?$/, () => pixelPage],
  [/^#\/pixels\/([^/]+)\/goals\/?$/, () => goalsPage],
  [/^#\/pixels\/([^/]+)\/triggers\/?$/, () => triggersPage],
  [/^#\/pixels\/([^/]+)\/report\/?$/, () => reportPage],
  [/^#\/sign-in\/?$/, () => signInPage],
  [/^#\/account\/?$/, () => accountPage],
  [/^#\/users\/?$/, () => usersPage],
  [/^#\/keys\/?$/, () => keysPage],
  [/^#\/audit\/?$/, () => auditPage],
  [/^#\/customers\/?$/, () => customersPage],
  [/^#\/customers\/([^/]+)\/?$/, () => customerPage],
  [/^#\/settings\/?$/, () => settingsPage],
];

// Where the console was headed when it had to ask for sign-in.
let next = null;

/** The header: the signed-in user, sign-out, and links only admins use; the role as a class on body. */
function showWho() {
  const who = document.getElementById('who');
  const me = currentUser();
  document.body.classList.remove('role-viewer', 'role-editor', 'role-admin');
  if (me) document.body.classList.add(`role-${me.role}`);
  const rank = {viewer: 0, editor: 1, admin: 2};
  for (const link of document.querySelectorAll('[data-needs-role]')) {
    link.hidden = !me || rank[me.role] < rank[link.dataset.needsRole];
  }
  if (!who) return;
  clear(who);
  if (!me) return;
  const out = el('button', {type: 'button', class: 'secondary sign-out'}, 'Sign out');
  out.addEventListener('click', async () => {
    try {
      await api.signOut();
    } finally {
      remember(null);
      location.hash = '#/sign-in';
    }
  });
  who.append(el('a', {href: '#/account', class: 'who-name'}, me.user), out);
}

window.addEventListener('speck:unauthorized', () => {
  remember(null);
  showWho();
  if (!location.hash.startsWith('#/sign-in')) {
    next = location.hash;
    location.hash = '#/sign-in';
  }
});

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
  if (!currentUser() && !hash.startsWith('#/sign-in')) {
    if (!(await loadSession())) {
      next = location.hash;
      location.hash = '#/sign-in';
      return;
    }
  }
  if (mine !== generation) return;
  showWho();
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
    next,
    id: param ? decodeURIComponent(param) : null,
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
plainHttpBanner(document.querySelector('header.top'));
