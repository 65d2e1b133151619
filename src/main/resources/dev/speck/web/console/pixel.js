import {api} from './api.js';
import {el, clear, field, notice, section, table, row, copyButton, select, formatTime, formatNumber,
  geoAttribution, announce, uid} from './dom.js';
import {pixelHeader} from './tabs.js';
import {MERGE_TAGS, emailSnippet} from './snippets.js';
import {watchHits} from './live.js';
import {privacySection} from './privacy.js';

const MAX_ROWS = 50;

/** A pixel's setup: snippets, tracked links, health with a test, and its latest hits. */
export async function pixelPage(view, ctx) {
  const pixel = await api.pixel(ctx.pixelId);
  if (!ctx.isCurrent()) return;
  const hits = recentHits(pixel, ctx);
  view.append(...pixelHeader(pixel, 'setup'),
    snippetsSection(pixel), linksSection(pixel), privacySection(pixel), healthSection(pixel, ctx, hits), hits.section);
  await hits.load();
}

function snippetBlock(key, title, text, extra) {
  const id = uid('snippet');
  const code = el('code', {}, text());
  const block = el('div', {class: 'snippet-block', 'data-snippet': key},
    el('div', {class: 'snippet-head'}, el('h3', {id}, title), copyButton(() => code.textContent, title)),
    extra || null,
    el('pre', {class: 'snippet', id: `snippet-${key}`, 'aria-labelledby': id, tabindex: 0}, code));
  return {block, refresh: () => { code.textContent = text(); }};
}

function snippetsSection(pixel) {
  const s = pixel.snippets || {};
  const js = snippetBlock('javascript', 'JavaScript tag (put it in the <head> of every page)', () => s.javascript);
  const image = snippetBlock('image', 'Image tag (pages without JavaScript)', () => s.image);

  const tagChoice = select('mergeTag', MERGE_TAGS, MERGE_TAGS[0][0]);
  const custom = el('input', {type: 'text', name: 'customTag', placeholder: '%%subscriber_id%%', hidden: true});
  const message = el('input', {type: 'text', name: 'message', placeholder: 'newsletter-2026-05', maxlength: 128});
  const customLabel = field('Custom merge tag', custom);
  customLabel.hidden = true;
  const currentTag = () => (tagChoice.value === 'custom' ? custom.value || '{{ recipient }}' : tagChoice.value);
  // A signed open (sig per recipient) may also join the reader's device to the customer.
  const signed = el('input', {type: 'checkbox', name: 'signedOpen'});
  const sigTag = el('input', {type: 'text', name: 'sigTag', value: '{{ speck_sig }}', maxlength: 64});
  const sigLabel = field('Signature merge tag', sigTag);
  sigLabel.hidden = true;
  const sign = snippetBlock('signOpen', 'Signing each recipient (for signed opens)', () => s.signOpen || '',
    el('p', {class: 'muted'}, 'The signature proves the token came from your email, so the open may link the '
      + 'device that reads it to the customer (unsigned opens count, but link nothing). See docs/CUSTOMERS.md.'));
  sign.block.hidden = true;
  const email = snippetBlock('emailOpen', 'Email open pixel', () => (signed.checked
    ? emailSnippet(s.emailOpenSigned || '', currentTag(), message.value.trim(), sigTag.value.trim() || '{{ speck_sig }}')
    : emailSnippet(s.emailOpen || '', currentTag(), message.value.trim())), el('div', {class: 'row'},
    field('Recipient merge tag of your email service', tagChoice), customLabel,
    field('Message (campaign) name', message),
    el('label', {class: 'check'}, signed, el('span', {}, 'Signed (recognises the customer\'s device)')), sigLabel));
  tagChoice.addEventListener('change', () => {
    customLabel.hidden = custom.hidden = tagChoice.value !== 'custom';
    email.refresh();
    if (tagChoice.value === 'custom') custom.focus();
  });
  signed.addEventListener('change', () => {
    sigLabel.hidden = sign.block.hidden = !signed.checked;
    email.refresh();
  });
  custom.addEventListener('input', email.refresh);
  message.addEventListener('input', email.refresh);
  sigTag.addEventListener('input', email.refresh);

  const goal = snippetBlock('goal', 'Goal call (after a purchase or sign-up)', () => s.goal);
  return section('Snippets', js.block, image.block, email.block, sign.block, goal.block);
}

function linksSection(pixel) {
  const status = el('div', {'aria-live': 'polite'});
  const list = el('div');
  const inputs = {
    destination: el('input', {type: 'url', name: 'destination', required: true, placeholder: 'https://shop.example.com/sale'}),
    source: el('input', {type: 'text', name: 'utm_source', placeholder: 'newsletter'}),
    medium: el('input', {type: 'text', name: 'utm_medium', placeholder: 'email'}),
    campaign: el('input', {type: 'text', name: 'utm_campaign', placeholder: 'spring-sale'}),
    term: el('input', {type: 'text', name: 'utm_term'}),
    content: el('input', {type: 'text', name: 'utm_content'}),
  };
  const form = el('form', {class: 'link-builder'},
    field('Destination URL', inputs.destination),
    el('div', {class: 'row'}, field('utm_source', inputs.source), field('utm_medium', inputs.medium),
      field('utm_campaign', inputs.campaign), field('utm_term', inputs.term), field('utm_content', inputs.content)),
    el('div', {class: 'actions'}, el('button', {type: 'submit'}, 'Create tracked link')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(status);
    const utm = {};
    for (const key of ['source', 'medium', 'campaign', 'term', 'content']) {
      if (inputs[key].value.trim()) utm[key] = inputs[key].value.trim();
    }
    try {
      const link = await api.createLink({pixel: pixel.id, destination: inputs.destination.value.trim(), utm});
      const out = el('output', {class: 'short-link'}, link.url);
      status.append(el('p', {class: 'notice ok'}, 'Short link: ', out, ' ', copyButton(() => link.url, 'short link')));
      announce('Tracked link created');
      loadLinks(pixel, list);
    } catch (e) {
      status.append(notice(e.message, 'error'));
    }
  });
  loadLinks(pixel, list);
  return section('Tracked links', form, status, list);
}

async function loadLinks(pixel, list) {
  try {
    const links = await api.links(pixel.id);
    clear(list);
    if (links.length) {
      list.append(el('h3', {}, 'Links of this pixel'), table(['Short link', 'Destination', 'Campaign', ''],
        links.map((l) => row([l.url, l.destination, l.campaign || '—', copyButton(() => l.url, `link ${l.code}`)]))));
    }
  } catch (e) {
    list.replaceChildren(notice(e.message, 'error'));
  }
}

function healthSection(pixel, ctx, hits) {
  const body = el('div');
  const status = el('p', {role: 'status', class: 'test-status'});
  const testButton = el('button', {type: 'button', class: 'test-pixel'}, 'Test the pixel');
  testButton.addEventListener('click', async () => {
    testButton.disabled = true;
    status.textContent = 'Sending a test hit…';
    // the live view can bring the hit before the POST's answer is read: then it must not say "waiting" again
    let arrived = false;
    hits.expectTest((e) => {
      arrived = true;
      status.textContent = `The test hit arrived at ${formatTime(e.time)}.`;
      testButton.disabled = false;
      loadHealth(pixel, body, ctx);
    });
    try {
      await api.testPixel(pixel.id);
      if (!arrived) status.textContent = 'Test hit sent; waiting for it to arrive…';
    } catch (e) {
      hits.expectTest(null);
      testButton.disabled = false;
      status.textContent = `The test failed: ${e.message}`;
    }
  });
  loadHealth(pixel, body, ctx);
  return section('Health', body, el('div', {class: 'actions'}, testButton), status);
}

async function loadHealth(pixel, body, ctx) {
  let content;
  try {
    const h = await api.health(pixel.id);
    const rejections = Object.entries(h.rejectionsSinceStart || {});
    content = [
      el('dl', {class: 'stats'},
        el('div', {}, el('dt', {}, 'Last hit seen'), el('dd', {class: 'last-hit'}, formatTime(h.lastHitSeen))),
        el('div', {}, el('dt', {}, 'Hits today (UTC)'), el('dd', {class: 'hits-today'}, formatNumber(h.hitsToday))),
        el('div', {}, el('dt', {}, 'Accepted since start'), el('dd', {}, formatNumber(h.acceptedSinceStart)))),
      rejections.length
        ? table(['Rejected since start because', 'Hits'], rejections.map(([reason, n]) => row([reason, formatNumber(n)], [1])),
          {numeric: [1], caption: 'Rejections by reason'})
        : el('p', {class: 'muted'}, 'No hits rejected since Speck started.'),
    ];
  } catch (e) {
    content = [notice(e.message, 'error')];
  }
  if (ctx.isCurrent()) body.replaceChildren(...content);
}

function recentHits(pixel, ctx) {
  const tbody = el('tbody');
  const state = el('p', {class: 'muted live-state'}, '');
  const credit = el('div');
  const empty = el('p', {class: 'muted'}, 'No hits yet. Put the JavaScript tag on a page and open it.');
  const tableEl = el('div', {class: 'table-wrap'}, el('table', {class: 'hits'},
    el('caption', {class: 'visually-hidden'}, 'Latest hits'),
    el('thead', {}, el('tr', {}, ['Time', 'Kind', 'Name', 'Page', 'Title', 'Country'].map((h) =>
      el('th', {scope: 'col'}, h)))), tbody));
  let onTest = null;

  const hitRow = (e) => row([formatTime(e.time), e.kind || '', e.name || '', e.url || '', e.title || '',
    e.country || '']);
  const add = (e) => {
    empty.remove();
    tbody.prepend(hitRow(e));
    while (tbody.children.length > MAX_ROWS) tbody.lastChild.remove();
    if (e.geo_database && /db-?ip/i.test(e.geo_database) && !credit.firstChild) {
      credit.append(geoAttribution({attribution: true}));
    }
    if (onTest && (e.test || e.name === 'speck_test')) {
      const done = onTest;
      onTest = null;
      done(e);
    }
  };

  const load = async () => {
    const page = await api.events(pixel.id, 20);
    if (!ctx.isCurrent()) return;
    const events = page.events || [];
    if (events.length) empty.remove();
    events.slice().reverse().forEach(add);
    if (page.attribution) credit.replaceChildren(geoAttribution(page));
    const stop = watchHits(pixel.id, add, (s) => {
      state.textContent = s === 'live' ? 'Live: new hits appear as they arrive.'
        : s === 'polling' ? 'New hits appear within a few seconds.' : 'Reconnecting…';
    });
    ctx.onLeave(stop);
  };

  return {
    section: section('Latest hits', state, empty, tableEl, credit),
    load,
    expectTest: (fn) => { onTest = fn; },
  };
}
