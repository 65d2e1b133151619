import {api} from './api.js';
import {el, clear, field, notice, table, row, select, announce, uid, formatTime, formatNumber} from './dom.js';

const SHOWN = 20;
const REFRESH_MS = 2000;
const EXCERPT_CHARS = 120;

/**
 * One trigger's delivery log (its last deliveries with their last attempt; dead letters can be
 * re-delivered) and its "Send test" button. The log is read again every 2 s while it is on screen, so a
 * test, a re-delivery or a real firing shows up as it lands. Every value goes in as text (dom.js).
 */
export function deliveryLog(pixel, trigger, isCurrent) {
  const headingId = uid('h');
  const result = el('div', {'aria-live': 'polite', class: 'test-result'});
  const payload = el('div');
  const log = el('div', {class: 'delivery-log'});
  const sample = select('testSample', [['stored', 'the last hit that fits it (else a made-up one)'],
    ['synthetic', 'a made-up hit and customer']], trigger.action.type === 'newsletter' ? 'synthetic' : 'stored');
  const send = el('button', {type: 'button', name: 'sendTest', class: 'send-test'}, 'Send test');
  const panel = el('section', {class: 'card deliveries', 'data-deliveries': trigger.id, 'aria-labelledby': headingId},
    el('h2', {id: headingId}, `Deliveries of “${trigger.name}”`),
    el('p', {class: 'muted'}, `Its last ${SHOWN} deliveries, newest first, with their last attempt. A test is `
      + 'signed and sent like a firing, marked "test": true, under its own key; a newsletter test built from a '
      + 'stored hit goes to that customer.'),
    el('div', {class: 'row send-test-controls'}, field('Test with', sample), send),
    result, payload, log);

  let watched = null; // the test delivery whose outcome the result line waits for
  let shown = '';
  let timer = null;

  const refresh = async () => {
    let answer;
    try {
      answer = await api.deliveries({source: trigger.id, limit: SHOWN});
    } catch (e) {
      log.replaceChildren(notice(e.message, 'error'));
      return;
    }
    const text = JSON.stringify(answer.deliveries);
    if (text !== shown) {
      shown = text;
      renderLog(log, answer.deliveries, redeliver);
    }
    if (watched) followTest(answer.deliveries);
  };
  const loop = async () => {
    timer = null;
    if (!isCurrent() || !panel.isConnected) return;
    await refresh();
    if (isCurrent() && panel.isConnected) timer = setTimeout(loop, REFRESH_MS);
  };
  const soon = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(loop, 0);
  };

  const followTest = (deliveries) => {
    const d = deliveries.find((x) => x.key === watched);
    if (!d || (d.status === 'pending' && (!d.lastAttempt || d.lastAttempt.outcome === 'in-flight'))) return;
    const a = d.lastAttempt;
    const answerText = a ? describeAttempt(a) : '';
    if (d.status === 'delivered') {
      result.replaceChildren(notice(`Test delivered: ${answerText}.`, 'ok'));
      announce('Test delivered');
      watched = null;
    } else if (d.status === 'dead') {
      result.replaceChildren(notice(`Test not delivered (a dead letter): ${answerText}.`, 'error'));
      watched = null;
    } else {
      result.replaceChildren(notice(`Test attempt ${d.attemptCount} failed (${answerText}); Speck tries again.`, 'warn'));
    }
  };

  const redeliver = async (d) => {
    clear(result);
    try {
      await api.redeliver(d.key);
      announce('Re-delivery queued');
      result.append(notice(`${d.key} is pending again.`, 'info'));
      soon();
    } catch (e) {
      result.append(notice(e.message, 'error'));
    }
  };

  send.addEventListener('click', async () => {
    clear(result);
    clear(payload);
    send.disabled = true;
    try {
      const t = await api.testTrigger(pixel.id, trigger.id, sample.value);
      watched = t.key;
      result.append(notice(t.message, 'info'));
      payload.append(el('details', {}, el('summary', {}, 'Test payload'), el('pre', {class: 'snippet'}, t.body)));
      soon();
    } catch (e) {
      result.append(notice(e.message, 'error'));
    } finally {
      send.disabled = false;
    }
  });

  soon();
  return panel;
}

function describeAttempt(a) {
  const what = a.statusCode != null ? `HTTP ${a.statusCode}` : a.error || a.outcome;
  return a.latencyMs != null ? `${what} in ${formatNumber(a.latencyMs)} ms` : what;
}

function renderLog(log, deliveries, redeliver) {
  if (!deliveries.length) {
    log.replaceChildren(el('p', {class: 'muted'}, 'No deliveries yet.'));
    return;
  }
  log.replaceChildren(table(['Enqueued', 'Delivery', 'Status', 'Attempts', 'Last answer', 'Latency', 'Response', ''],
    deliveries.map((d) => {
      const a = d.lastAttempt;
      const excerpt = a && a.excerpt ? a.excerpt : '';
      return row([
        formatTime(d.created),
        el('span', {}, el('code', {}, d.key), d.test ? [' ', el('span', {class: 'badge'}, 'test')] : null),
        el('span', {class: `badge ${d.status === 'delivered' ? 'on' : d.status === 'dead' ? 'off' : ''}`}, d.status),
        formatNumber(d.attemptCount),
        a ? (a.statusCode != null ? `HTTP ${a.statusCode}` : a.error || a.outcome) : '—',
        a && a.latencyMs != null ? `${formatNumber(a.latencyMs)} ms` : '—',
        excerpt ? el('code', {title: excerpt}, excerpt.length > EXCERPT_CHARS ? `${excerpt.slice(0, EXCERPT_CHARS)}…` : excerpt) : '—',
        d.status === 'dead' ? el('button', {type: 'button', class: 'secondary redeliver',
          'aria-label': `Re-deliver ${d.key}`, onclick: () => redeliver(d)}, 'Re-deliver') : '',
      ], [3, 5], {'data-delivery': d.key, 'data-status': d.status});
    }), {caption: 'Deliveries', numeric: [3, 5]}));
}
