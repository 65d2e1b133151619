import {api} from './api.js';
import {el, field, notice, section, announce} from './dom.js';

/** Account settings: the switch that enables pixels, and whether raw IP addresses are kept. */
export async function settingsPage(view, ctx) {
  const s = await api.settings();
  if (!ctx.isCurrent()) return;
  const enabled = el('input', {type: 'checkbox', name: 'pixelsEnabled', checked: s.pixelsEnabled});
  const keepRawIp = el('input', {type: 'checkbox', name: 'keepRawIp', checked: s.keepRawIp});
  const days = el('input', {type: 'number', name: 'rawIpRetentionDays', min: 1, max: 395, step: 1,
    value: s.rawIpRetentionDays, required: true});
  const status = el('div', {'aria-live': 'polite'});
  const form = el('form', {class: 'account-settings'},
    el('label', {class: 'check'}, enabled, el('span', {}, 'Pixels enabled (off: every pixel still answers, nothing is recorded)')),
    el('label', {class: 'check'}, keepRawIp, el('span', {}, 'Keep raw IP addresses (off by default: only /24 or /48 prefixes are kept)')),
    field('Delete raw IP addresses after (days)', days, 'Never longer than the pixel\u2019s retention. Turning raw IPs off deletes those kept within the hour.'),
    el('div', {class: 'actions'}, el('button', {type: 'submit'}, 'Save settings')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.replaceChildren();
    try {
      await api.saveSettings({pixelsEnabled: enabled.checked, keepRawIp: keepRawIp.checked,
        rawIpRetentionDays: Number(days.value)});
      status.append(notice('Settings saved; they apply at once.', 'ok'));
      announce('Settings saved');
    } catch (e) {
      status.append(notice(e.message, 'error'));
    }
  });
  view.append(el('h1', {}, 'Settings'), section('Account', form, status));
}
