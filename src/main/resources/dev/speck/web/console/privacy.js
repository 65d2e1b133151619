import {api} from './api.js';
import {el, field, notice, section, select, copyButton, announce} from './dom.js';

const IDENTITY = [
  ['cookieless', 'Cookieless: a daily id, nothing stored on the device'],
  ['first-party', 'First-party: an id the tag keeps on your site, only after consent'],
];
const CONSENT = [
  ['not-required', 'Not required: record hits (a denial makes them anonymous)'],
  ['required-anonymous', 'Required: without consent, record without any identifier'],
  ['required-drop', 'Required: without consent, record nothing'],
];

/** A pixel's visitor privacy (identity mode, consent rule, Do Not Track, retention) and its opt-out link. */
export function privacySection(pixel) {
  const p = pixel.privacy || {};
  const identity = select('identity', IDENTITY, p.identity);
  const consent = select('consent', CONSENT, p.consent);
  const dnt = el('input', {type: 'checkbox', name: 'honourDoNotTrack', checked: p.honourDoNotTrack !== false});
  const retention = el('input', {type: 'number', name: 'retentionDays', min: 0, max: 3650, step: 1,
    value: p.retentionDays ?? 395, required: true});
  const status = el('div', {'aria-live': 'polite'});
  const form = el('form', {class: 'privacy-settings'},
    el('div', {class: 'row'}, field('Visitor identity', identity), field('Consent', consent)),
    el('div', {class: 'row'},
      field('Keep events for (days)', retention, '0 keeps them forever; older days are deleted every hour.'),
      el('label', {class: 'check'}, dnt, el('span', {}, 'Honour Do Not Track (DNT: 1 records nothing)'))),
    el('div', {class: 'actions'}, el('button', {type: 'submit'}, 'Save privacy settings')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.replaceChildren();
    try {
      const saved = await api.updatePixel(pixel.id, {privacy: {identity: identity.value, consent: consent.value,
        honourDoNotTrack: dnt.checked, retentionDays: Number(retention.value)}});
      pixel.privacy = saved.privacy;
      status.append(notice('Privacy settings saved.', 'ok'));
      announce('Privacy settings saved');
    } catch (e) {
      status.append(notice(e.message, 'error'));
    }
  });
  const optOut = pixel.optOut || {};
  const link = el('pre', {class: 'snippet opt-out-link', tabindex: 0}, el('code', {}, optOut.link || ''));
  const tag = el('pre', {class: 'snippet opt-out-tag', tabindex: 0}, el('code', {}, optOut.tag || ''));
  return section('Visitor privacy', form, status,
    el('h3', {}, 'Opt-out for your privacy notice'),
    el('p', {class: 'muted'}, 'The page on Speck\u2019s own address lets a visitor stop all recording for their browser. '
      + 'Browsers that block third-party cookies may not carry that choice to your site: the tag\u2019s own opt-out, '
      + 'stored on your site, always works. Browsers sending Global Privacy Control are never recorded.'),
    el('div', {class: 'snippet-head'}, el('span', {}, 'Link'), copyButton(() => optOut.link || '', 'opt-out link')), link,
    el('div', {class: 'snippet-head'}, el('span', {}, 'Button using the tag'), copyButton(() => optOut.tag || '', 'opt-out button')), tag);
}
