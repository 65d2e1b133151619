// Every call the console makes to Speck's JSON API, in one place: when a field or a path
// changes on the server, this is the file to adjust.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// The session's CSRF token (from sign-in or GET /api/session): sent with every request that
// changes something, which a page on another site cannot do because it cannot read the token.
let csrfToken = null;
export function setCsrfToken(token) {
  csrfToken = token || null;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function call(method, path, body, contentType) {
  const init = {method, headers: {Accept: 'application/json'}, credentials: 'same-origin'};
  if (UNSAFE.has(method) && csrfToken) init.headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) {
    init.headers['Content-Type'] = contentType || 'application/json';
    init.body = contentType ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'Speck cannot be reached. Check your connection and try again.');
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (e) {
    data = null;
  }
  if (response.status === 401 && path !== '/api/session') {
    // signed out (expired, or ended elsewhere): the console shows the sign-in page
    window.dispatchEvent(new CustomEvent('speck:unauthorized'));
  }
  if (!response.ok) {
    const error = new ApiError(response.status, (data && data.error) || `${response.status} ${response.statusText}`);
    error.data = data;
    throw error;
  }
  return data;
}

const enc = encodeURIComponent;
const px = (id) => `/api/pixels/${enc(id)}`;

/** A query string from an object; null, undefined and empty values are left out. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== null && value !== undefined && value !== '') q.append(key, String(value));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Report parameters: {from, to, interval, compare, traffic, filters: {dimension: value}} → query params. */
function reportParams({from, to, interval, compare, traffic, filters}, extra = {}) {
  const params = {from, to, interval, compare: compare ? 'previous' : null,
    traffic: traffic && traffic !== 'human' ? traffic : null, ...extra};
  for (const [dimension, value] of Object.entries(filters || {})) params[`filter.${dimension}`] = value;
  return params;
}

export const api = {
  server: () => call('GET', '/api/server'),
  pixels: () => call('GET', '/api/pixels'),
  pixel: (id) => call('GET', px(id)),
  createPixel: ({name, allowedOrigins}) => call('POST', '/api/pixels', {name, allowedOrigins}),
  updatePixel: (id, changes) => call('PATCH', px(id), changes),
  deletePixel: (id) => call('DELETE', px(id)),

  stats: (id, from, to) => call('GET', `${px(id)}/stats${query({from, to})}`),
  events: (id, limit = 50) => call('GET', `${px(id)}/events${query({limit})}`),
  health: (id) => call('GET', `${px(id)}/health`),
  testPixel: (id) => call('POST', `${px(id)}/test`, {}),
  liveUrl: (id) => `${px(id)}/live`,

  links: (pixel) => call('GET', `/api/links${query({pixel})}`),
  createLink: ({pixel, destination, utm}) => call('POST', '/api/links', {pixel, destination, utm}),

  settings: () => call('GET', '/api/settings'),
  saveSettings: (settings) => call('PUT', '/api/settings', settings),

  goals: (id) => call('GET', `${px(id)}/goals`),
  createGoal: (id, goal) => call('POST', `${px(id)}/goals`, goal),
  updateGoal: (id, goalId, goal) => call('PUT', `${px(id)}/goals/${enc(goalId)}`, goal),
  deleteGoal: (id, goalId) => call('DELETE', `${px(id)}/goals/${enc(goalId)}`),

  triggers: (id) => call('GET', `${px(id)}/triggers`),
  createTrigger: (id, trigger) => call('POST', `${px(id)}/triggers`, trigger),
  updateTrigger: (id, triggerId, trigger) => call('PUT', `${px(id)}/triggers/${enc(triggerId)}`, trigger),
  deleteTrigger: (id, triggerId) => call('DELETE', `${px(id)}/triggers/${enc(triggerId)}`),
  dryRunTrigger: (id, trigger) => call('POST', `${px(id)}/triggers/dry-run`, trigger),
  testTrigger: (id, triggerId, sample) =>
    call('POST', `${px(id)}/triggers/${enc(triggerId)}/test${query({sample})}`, {}),

  deliveries: ({source, status, limit, before}) => call('GET', `/api/deliveries${query({source, status, limit, before})}`),
  delivery: (key) => call('GET', `/api/deliveries/${enc(key)}`),
  redeliver: (key) => call('POST', `/api/deliveries/${enc(key)}/redeliver`, {}),

  reportUrl: (id, state, csv) => `${px(id)}/report${query(reportParams(state, {format: csv ? 'csv' : null}))}`,
  report: (id, state) => call('GET', api.reportUrl(id, state)),
  breakdownUrl: (id, state, dimension, csv) =>
    `${px(id)}/report/breakdown${query(reportParams(state, {dimension, format: csv ? 'csv' : null}))}`,
  breakdown: (id, state, dimension) => call('GET', api.breakdownUrl(id, state, dimension)),
  attributionUrl: (id, state, {goal, model, lookbackDays}, csv) =>
    `${px(id)}/report/attribution${query(reportParams(state, {goal, model, lookbackDays, format: csv ? 'csv' : null}))}`,
  attribution: (id, state, options) => call('GET', api.attributionUrl(id, state, options)),

  session: () => call('GET', '/api/session'),
  signIn: (user, password) => call('POST', '/api/session', {user, password}),
  signOut: () => call('DELETE', '/api/session'),
  changePassword: (currentPassword, newPassword) =>
    call('PUT', '/api/session/password', {currentPassword, newPassword}),
  users: () => call('GET', '/api/users'),
  createUser: ({name, role, password}) => call('POST', '/api/users', {name, role, password}),
  updateUser: (name, changes) => call('PATCH', `/api/users/${enc(name)}`, changes),
  deleteUser: (name) => call('DELETE', `/api/users/${enc(name)}`),
  keys: () => call('GET', '/api/keys'),
  createKey: ({name, scope, pixels}) => call('POST', '/api/keys', {name, scope, pixels}),
  revokeKey: (id) => call('DELETE', `/api/keys/${enc(id)}`),
  audit: (before, limit = 100) => call('GET', `/api/audit${query({before, limit})}`),
  customers: ({q, limit, offset}) => call('GET', `/api/customers${query({q, limit, offset})}`),
  customer: (id) => call('GET', `/api/customers/${enc(id)}`),
  importCustomers: (csv) => call('POST', '/api/customers/import', csv, 'text/csv'),
  customerExportUrl: (id) => `/api/customers/${enc(id)}/export`,
  eraseCustomer: (id) => call('DELETE', `/api/customers/${enc(id)}`),
  identitySecret: () => call('GET', '/api/identity/secret'),
};
