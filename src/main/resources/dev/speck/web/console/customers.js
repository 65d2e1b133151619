import {api} from './api.js';
import {el, clear, field, notice, section, table, row, formatTime, formatNumber, formatMoney, announce} from './dom.js';

const PAGE = 50;

/** The customers list: search, page, import a CSV. Everything shown goes in as text, never as markup. */
export async function customersPage(view, ctx) {
  const status = el('div', {'aria-live': 'polite'});
  const listArea = el('div');
  const q = el('input', {type: 'search', name: 'q', maxlength: 200, placeholder: 'Name, email or id', autocomplete: 'off'});
  let offset = 0;
  const load = async () => {
    const page = await api.customers({q: q.value.trim(), limit: PAGE, offset});
    if (!ctx.isCurrent()) return;
    clear(listArea);
    if (!page.customers.length) {
      listArea.append(el('p', {class: 'muted'}, q.value ? 'No customer matches.' : 'No customers yet. Import a CSV below or send them with POST /api/customers.'));
      return;
    }
    listArea.append(
      el('p', {class: 'muted'}, `${formatNumber(page.total)} customer(s)`),
      table(['Name', 'Email', 'External id', 'Updated'], page.customers.map((c) => row([
        el('a', {href: `#/customers/${encodeURIComponent(c.id)}`}, c.name || c.email || c.externalId || c.id),
        c.email || '—', c.externalId || '—', formatTime(c.updated)])), {caption: 'Customers'}),
      el('div', {class: 'actions'},
        offset > 0 ? el('button', {type: 'button', class: 'secondary', onclick: () => { offset = Math.max(0, offset - PAGE); load(); }}, 'Previous') : null,
        page.next ? el('button', {type: 'button', class: 'secondary', onclick: () => { offset += PAGE; load(); }}, 'Next') : null));
  };
  const search = el('form', {class: 'customer-search', role: 'search'},
    field('Search', q), el('div', {class: 'actions'}, el('button', {type: 'submit'}, 'Search')));
  search.addEventListener('submit', (event) => {
    event.preventDefault();
    offset = 0;
    load().catch((e) => status.append(notice(e.message, 'error')));
  });
  view.append(el('h1', {}, 'Customers'), status, section('Find a customer', search, listArea),
    importSection(load), identitySection());
  await load();
}

function importSection(reload) {
  const status = el('div', {'aria-live': 'polite'});
  const file = el('input', {type: 'file', name: 'csv', accept: '.csv,text/csv'});
  const form = el('form', {class: 'customer-import'},
    field('CSV file', file, 'A header row with external_id and/or email; name and aliases (separated by ;) are known, other columns become attributes. One bad row and nothing is imported.'),
    el('div', {class: 'actions'}, el('button', {type: 'submit'}, 'Import')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(status);
    if (!file.files.length) return;
    try {
      const r = await api.importCustomers(await file.files[0].text());
      status.append(notice(`Imported ${r.imported}: ${r.created} new, ${r.updated} updated.`, 'ok'));
      announce('Customers imported');
      await reload();
    } catch (e) {
      status.append(notice(e.message, 'error'));
      if (e.data && e.data.errors) {
        status.append(table(['Line', 'Problem'], e.data.errors.map((x) => row([String(x.line ?? x.index), x.error])),
          {caption: 'Rows that could not be imported'}));
      }
    }
  });
  return section('Import customers', status, form);
}

function identitySection() {
  const area = el('div');
  const show = el('button', {type: 'button', class: 'secondary'}, 'Show the identity secret');
  show.addEventListener('click', async () => {
    try {
      const s = await api.identitySecret();
      clear(area).append(
        el('p', {}, 'Your site\u2019s backend signs the customer id with this secret; the page then calls ',
          el('code', {}, "speck('identify', id, signature)"), '.'),
        el('pre', {class: 'snippet'}, el('code', {class: 'identity-secret'}, s.secret)),
        el('p', {class: 'muted'}, `signature = ${s.algorithm}, with purpose "identify". Keep the secret on the server.`));
    } catch (e) {
      clear(area).append(notice(e.message, 'error'));
    }
  });
  return section('Recognising customers', el('p', {class: 'muted'},
    'Signed identities only: an unsigned one could be anyone\u2019s claim.'), show, area);
}

/** One customer: who they are, their devices and visits, and their data rights (export, erase). */
export async function customerPage(view, ctx) {
  const c = await api.customer(ctx.id);
  if (!ctx.isCurrent()) return;
  const p = c.profile;
  view.append(
    el('p', {}, el('a', {href: '#/customers'}, '\u2190 Customers')),
    el('h1', {}, c.name || c.email || c.externalId || c.id),
    section('Customer', el('dl', {class: 'facts'},
      fact('Speck id', c.id), fact('External id', c.externalId), fact('Email', c.email), fact('Name', c.name),
      fact('Aliases', (c.aliases || []).join(', ')), fact('First seen', formatTime(p.firstSeen)),
      fact('Last seen', formatTime(p.lastSeen)), fact('Events', formatNumber(p.events))),
      Object.keys(c.attributes || {}).length
        ? table(['Attribute', 'Value'], Object.entries(c.attributes).map(([k, v]) => row([k, v])), {caption: 'Attributes'})
        : el('p', {class: 'muted'}, 'No attributes.')),
    list('Visitor ids and devices joined to this customer', ['Visitor id', 'Pixel', 'Recognised by', 'Since'],
      c.identityLinks, (l) => [l.visitorId, l.pixel, l.source, formatTime(l.firstSeen)]),
    list('Devices', ['Device', 'Brand', 'OS', 'Browser', 'Events', 'Last seen'], p.devices,
      (d) => [d.deviceClass, d.brand, d.os, d.browser, formatNumber(d.events), formatTime(d.lastSeen)]),
    list('Locations', ['Country', 'Region', 'City', 'Events'], p.locations,
      (l) => [l.country, l.region, l.city, formatNumber(l.events)]),
    list('Time zones', ['Time zone', 'Events'], p.timeZones, (z) => [z.timeZone, formatNumber(z.events)]),
    list('Pages', ['Page', 'Title', 'Views', 'Last seen'], p.pages,
      (g) => [`${g.host || ''}${g.path || ''}`, g.title, formatNumber(g.views), formatTime(g.lastSeen)]),
    list('Interests', ['Section', 'Views'], p.interests, (i) => [i.section, formatNumber(i.views)]),
    list('Goals achieved', ['Goal', 'Times', 'Value', 'Last'], p.goals,
      (g) => [g.name || g.goal, formatNumber(g.achievements), formatMoney(g.value, g.currency), formatTime(g.lastAchieved)]),
    list('Email opens', ['When', 'Message'], p.emailOpens, (o) => [formatTime(o.time), o.campaign]),
    list('Link clicks', ['When', 'Link', 'Campaign', 'Destination'], p.linkClicks,
      (l) => [formatTime(l.time), l.link, l.campaign, l.destination]),
    rightsSection(c));
}

function fact(term, value) {
  return [el('dt', {}, term), el('dd', {}, value === null || value === undefined || value === '' ? '—' : String(value))];
}

function list(title, headers, items, cells) {
  if (!items || !items.length) return section(title, el('p', {class: 'muted'}, 'Nothing yet.'));
  return section(title, table(headers, items.map((x) => row(cells(x).map((v) => (v === null || v === undefined || v === '' ? '—' : String(v))))),
    {caption: title}));
}

function rightsSection(c) {
  const status = el('div', {'aria-live': 'polite'});
  const erase = el('button', {type: 'button', class: 'danger'}, 'Erase this customer');
  erase.addEventListener('click', async () => {
    if (!window.confirm('Erase this customer for good? Their profile, identifiers and every event of their visitor ids are deleted and cannot be restored.')) return;
    clear(status);
    try {
      const r = await api.eraseCustomer(c.id);
      announce('Customer erased');
      status.append(notice(`Erased (${r.erasureId}).`, 'ok'));
      location.hash = '#/customers';
    } catch (e) {
      status.append(notice(e.message, 'error'));
    }
  });
  return section('Data rights', status, el('div', {class: 'actions'},
    el('a', {href: api.customerExportUrl(c.id), download: `customer-${c.id}.json`, class: 'button secondary'}, 'Export everything (JSON)'),
    erase));
}
