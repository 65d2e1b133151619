import {api, setCsrfToken} from './api.js';
import {el, clear, field, notice, section, table, row, select, copyButton, announce, formatTime} from './dom.js';

// Who is signed in, as GET /api/session answers: {user, role, csrfToken}, or null.
let me = null;

export function currentUser() {
  return me;
}

export function remember(session) {
  me = session;
  setCsrfToken(session ? session.csrfToken : null);
}

/** Loads who is signed in; null when no one is (the server answered 401). */
export async function loadSession() {
  try {
    remember(await api.session());
  } catch (e) {
    if (e.status !== 401) throw e;
    remember(null);
  }
  return me;
}

const ROLES = [['viewer', 'Viewer: reads reports'], ['editor', 'Editor: also pixels, goals, links'],
  ['admin', 'Admin: also users, API keys, audit log, settings']];

/** The sign-in page; after signing in, back to where the user was going. */
export async function signInPage(view, ctx) {
  const status = el('div', {'aria-live': 'polite'});
  const user = el('input', {type: 'text', name: 'user', required: true, maxlength: 64, autocomplete: 'username',
    autocapitalize: 'none', spellcheck: 'false'});
  const password = el('input', {type: 'password', name: 'password', required: true, maxlength: 256,
    autocomplete: 'current-password'});
  const form = el('form', {class: 'sign-in'},
    field('User name', user), field('Password', password),
    el('div', {class: 'actions'}, el('button', {type: 'submit'}, 'Sign in')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(status);
    try {
      remember(await api.signIn(user.value.trim(), password.value));
      password.value = '';
      announce('Signed in');
      location.hash = ctx.next && !ctx.next.startsWith('#/sign-in') ? ctx.next : '#/pixels';
    } catch (e) {
      password.value = '';
      status.append(notice(e.message, 'error'));
    }
  });
  view.append(el('h1', {}, 'Sign in to Speck'), status, section('Your account', form));
  user.focus();
}

/** The signed-in user's own page: change the password. */
export async function accountPage(view) {
  const status = el('div', {'aria-live': 'polite'});
  const current = el('input', {type: 'password', name: 'currentPassword', required: true, autocomplete: 'current-password'});
  const next = el('input', {type: 'password', name: 'newPassword', required: true, minlength: 10, maxlength: 256,
    autocomplete: 'new-password'});
  const form = el('form', {class: 'change-password'}, field('Current password', current),
    field('New password', next, 'At least 10 characters. Your other sessions end.'),
    el('div', {class: 'actions'}, el('button', {type: 'submit'}, 'Change password')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(status);
    try {
      remember(await api.changePassword(current.value, next.value));
      current.value = '';
      next.value = '';
      status.append(notice('Password changed.', 'ok'));
    } catch (e) {
      status.append(notice(e.message, 'error'));
    }
  });
  view.append(el('h1', {}, `Account ${me ? me.user : ''}`),
    el('p', {class: 'muted'}, `Role: ${me ? me.role : '—'}`), status, section('Change your password', form));
}

/** Users: add, change role, reset password, delete (admins only; the server decides). */
export async function usersPage(view, ctx) {
  const status = el('div', {'aria-live': 'polite'});
  const list = el('div');
  const reload = () => refreshUsers(list, status, ctx);
  const name = el('input', {type: 'text', name: 'name', required: true, maxlength: 64, autocomplete: 'off'});
  const role = select('role', ROLES, 'viewer');
  const password = el('input', {type: 'password', name: 'password', required: true, minlength: 10, maxlength: 256,
    autocomplete: 'new-password'});
  const form = el('form', {class: 'create-user'},
    el('div', {class: 'row'}, field('Name', name), field('Role', role), field('Password', password)),
    el('div', {class: 'actions'}, el('button', {type: 'submit'}, 'Add user')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(status);
    try {
      await api.createUser({name: name.value.trim(), role: role.value, password: password.value});
      announce(`User ${name.value} added`);
      name.value = '';
      password.value = '';
      await reload();
    } catch (e) {
      status.append(notice(e.message, 'error'));
    }
  });
  view.append(el('h1', {}, 'Users'), status, section('Add a user', form), section('Users', list));
  await reload();
}

async function refreshUsers(list, status, ctx) {
  const users = await api.users();
  if (!ctx.isCurrent()) return;
  const run = async (what, done) => {
    clear(status);
    try {
      await what();
      announce(done);
      await refreshUsers(list, status, ctx);
    } catch (e) {
      status.append(notice(e.message, 'error'));
    }
  };
  clear(list).append(table(['Name', 'Role', 'Created', 'Actions'], users.map((u) => {
    const role = select('role', ROLES.map(([v]) => [v, v]), u.role);
    role.setAttribute('aria-label', `Role of ${u.name}`);
    role.addEventListener('change', () => run(() => api.updateUser(u.name, {role: role.value}), 'Role changed'));
    const reset = el('button', {type: 'button', class: 'secondary', 'aria-label': `Reset the password of ${u.name}`},
      'Reset password');
    reset.addEventListener('click', () => {
      const input = el('input', {type: 'password', minlength: 10, maxlength: 256, autocomplete: 'new-password',
        'aria-label': `New password for ${u.name}`});
      const form = el('form', {class: 'row'}, input, el('button', {type: 'submit'}, 'Set'));
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        run(() => api.updateUser(u.name, {password: input.value}), 'Password reset');
      });
      reset.replaceWith(form);
      input.focus();
    });
    const remove = el('button', {type: 'button', class: 'danger', 'aria-label': `Delete ${u.name}`}, 'Delete');
    remove.addEventListener('click', () => run(() => api.deleteUser(u.name), 'User deleted'));
    return row([u.name, role, formatTime(u.created), el('div', {class: 'actions'}, reset, remove)]);
  }), {caption: 'Users'}));
}

/** API keys: create (the secret is shown once), list, revoke. */
export async function keysPage(view, ctx) {
  const status = el('div', {'aria-live': 'polite'});
  const secretArea = el('div', {'aria-live': 'polite'});
  const list = el('div');
  const reload = () => refreshKeys(list, status, ctx);
  const pixels = await api.pixels();
  if (!ctx.isCurrent()) return;
  const name = el('input', {type: 'text', name: 'name', required: true, maxlength: 100, autocomplete: 'off'});
  const scope = select('scope', [['read', 'Read: reports and data'], ['write', 'Write: also change pixels']], 'read');
  const which = select('pixels', [['all', 'All pixels'], ...pixels.map((p) => [p.id, p.name])], 'all');
  which.multiple = true;
  const form = el('form', {class: 'create-key'},
    el('div', {class: 'row'}, field('Name', name), field('Scope', scope),
      field('Pixels', which, 'All pixels, or pick some (Ctrl/Cmd-click for several).')),
    el('div', {class: 'actions'}, el('button', {type: 'submit'}, 'Create key')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(status);
    clear(secretArea);
    const chosen = [...which.selectedOptions].map((o) => o.value);
    try {
      const key = await api.createKey({name: name.value.trim(), scope: scope.value,
        pixels: !chosen.length || chosen.includes('all') ? 'all' : chosen});
      const secret = el('output', {class: 'key-secret short-link'}, key.secret);
      secretArea.append(notice('Copy the key now: Speck keeps only a hash of it and cannot show it again.', 'info'),
        el('div', {class: 'row'}, secret, copyButton(() => key.secret, 'API key')));
      name.value = '';
      await reload();
    } catch (e) {
      status.append(notice(e.message, 'error'));
    }
  });
  view.append(el('h1', {}, 'API keys'), status,
    section('Create a key', el('p', {class: 'muted'}, 'Scripts send it as Authorization: Bearer spk_…. '
      + 'A key never does admin actions.'), form, secretArea),
    section('Keys', list));
  await reload();
}

async function refreshKeys(list, status, ctx) {
  const keys = await api.keys();
  if (!ctx.isCurrent()) return;
  if (!keys.length) {
    clear(list).append(el('p', {class: 'muted'}, 'No API keys yet.'));
    return;
  }
  clear(list).append(table(['Name', 'Scope', 'Pixels', 'Created', 'Last used', 'Actions'], keys.map((k) => {
    const revoke = el('button', {type: 'button', class: 'danger', 'aria-label': `Revoke ${k.name}`}, 'Revoke');
    revoke.addEventListener('click', async () => {
      clear(status);
      try {
        await api.revokeKey(k.id);
        announce('Key revoked');
        await refreshKeys(list, status, ctx);
      } catch (e) {
        status.append(notice(e.message, 'error'));
      }
    });
    return row([k.name, k.scope, Array.isArray(k.pixels) ? k.pixels.join(', ') : 'all',
      `${formatTime(k.created)} by ${k.createdBy}`, formatTime(k.lastUsed), revoke]);
  }), {caption: 'API keys'}));
}

/** The audit log, newest first, a page at a time. */
export async function auditPage(view, ctx) {
  const list = el('div');
  const more = el('button', {type: 'button', class: 'secondary', hidden: true}, 'Older entries');
  const body = el('tbody');
  let before = null;
  const load = async () => {
    const page = await api.audit(before);
    if (!ctx.isCurrent()) return;
    for (const e of page.entries) {
      body.append(row([formatTime(e.time), `${e.actor} (${e.actorKind})`, e.action, e.target || '',
        JSON.stringify(e.details), e.client || '']));
    }
    before = page.entries.length ? page.entries[page.entries.length - 1].seq : before;
    more.hidden = !page.next;
  };
  more.addEventListener('click', () => load());
  list.append(el('div', {class: 'table-wrap'}, el('table', {class: 'audit'},
    el('thead', {}, el('tr', {}, ['Time', 'Who', 'Action', 'Target', 'Details', 'Network'].map((h) =>
      el('th', {scope: 'col'}, h)))), body)), more);
  view.append(el('h1', {}, 'Audit log'), section('Sign-ins and admin actions', list));
  await load();
}
