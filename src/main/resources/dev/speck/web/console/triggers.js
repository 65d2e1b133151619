import {api} from './api.js';
import {el, clear, field, notice, section, table, row, select, announce, uid} from './dom.js';
import {pixelHeader} from './tabs.js';
import {deliveryLog} from './deliveries.js';

const WHEN = [['goal', 'A goal is reached'], ['event', 'An event happens'], ['page', 'A page is viewed'],
  ['recognised', 'A visitor is recognised as a customer']];
const FIELDS = ['country', 'region', 'city', 'device', 'browser', 'os', 'channel', 'source', 'campaign', 'medium',
  'path', 'host', 'language', 'customer.email', 'customer.external_id', 'customer.name'];
const OPS = [['is', 'is'], ['is_not', 'is not'], ['in', 'is one of'], ['not_in', 'is none of'],
  ['contains', 'contains'], ['starts_with', 'starts with']];
const PATTERNS = [['none', 'Every time it happens'], ['times', 'When it happened N times within a period'],
  ['after', 'When, a while after it, a goal was not reached']];

/** A pixel's triggers: the list, one trigger's delivery log with "Send test", a builder with a dry run over the last 7 days. */
export async function triggersPage(view, ctx) {
  const [pixel, goalList] = await Promise.all([api.pixel(ctx.pixelId), api.goals(ctx.pixelId)]);
  if (!ctx.isCurrent()) return;
  const goals = Array.isArray(goalList) ? goalList : goalList.goals || [];
  view.append(...pixelHeader(pixel, 'triggers'));
  const status = el('div', {'aria-live': 'polite'});
  const list = el('div');
  const log = el('div');
  const editor = el('div');
  view.append(status, section('Triggers', el('p', {class: 'muted'},
    'A trigger calls a webhook or starts a newsletter when a person’s hits fit its rule. Bots, tests and '
    + 'hits without consent never fire one.'), list), log, editor);
  const showLog = (t) => log.replaceChildren(deliveryLog(pixel, t, ctx.isCurrent));
  const reload = async () => {
    let answer;
    try {
      answer = await api.triggers(pixel.id);
    } catch (e) {
      list.replaceChildren(notice(e.message, 'error'));
      return;
    }
    if (!ctx.isCurrent()) return;
    renderList(list, answer.triggers, goals, {
      edit: (t) => openEditor(editor, pixel, goals, t, status, reload, showLog),
      deliveries: showLog,
      remove: async (t) => {
        clear(status);
        if (!window.confirm(`Delete the trigger “${t.name}”?`)) return;
        try {
          await api.deleteTrigger(pixel.id, t.id);
          if (log.querySelector(`[data-deliveries="${CSS.escape(t.id)}"]`)) clear(log);
          announce('Trigger deleted');
          await reload();
        } catch (e) {
          status.append(notice(e.message, 'error'));
        }
      },
    });
    if (!editor.firstChild) openEditor(editor, pixel, goals, null, status, reload, showLog);
  };
  await reload();
}

function describeWhen(t, goals) {
  const w = t.when;
  const goal = (id) => (goals.find((g) => g.id === id) || {name: id}).name;
  const start = w.kind === 'goal' ? `Goal ${goal(w.goal)}${w.minValue != null ? ` worth ≥ ${w.minValue}` : ''}`
    : w.kind === 'event' ? `Event ${w.name}` : w.kind === 'page' ? `Page ${w.path}` : 'Recognised as a customer';
  const p = t.pattern;
  if (!p) return start;
  const unless = p.unless ? ` without ${goal(p.unless.goal)}` : '';
  return p.after ? `${start}, then ${p.after}${unless}` : `${start} ${p.times}× within ${p.within}${unless}`;
}

function renderList(list, triggers, goals, actions) {
  clear(list);
  if (!triggers.length) {
    list.append(el('p', {class: 'muted'}, 'No triggers yet. Build the first one below.'));
    return;
  }
  list.append(table(['Trigger', 'When', 'For', 'Sends to', 'State', 'Actions'], triggers.map((t) => row([
    t.name, describeWhen(t, goals), t.who === 'customers' ? 'customers' : 'anyone',
    `${t.action.type === 'newsletter' ? `${t.action.platform} newsletter: ` : ''}${t.action.url}`,
    t.enabled ? 'on' : 'off',
    el('div', {class: 'actions'},
      el('button', {type: 'button', class: 'secondary', 'aria-label': `Edit ${t.name}`, onclick: () => actions.edit(t)}, 'Edit'),
      el('button', {type: 'button', class: 'secondary', name: 'deliveries', 'aria-label': `Deliveries of ${t.name}`,
        onclick: () => actions.deliveries(t)}, 'Deliveries'),
      el('button', {type: 'button', class: 'danger', 'aria-label': `Delete ${t.name}`, onclick: () => actions.remove(t)}, 'Delete')),
  ], [], {'data-trigger': t.id})), {caption: 'Triggers'}));
}

function conditionRow(c = {field: 'country', op: 'is', values: []}) {
  const fieldSel = select('conditionField', FIELDS.map((f) => [f, f]), c.field);
  const opSel = select('conditionOp', OPS, c.op);
  const values = el('input', {type: 'text', name: 'conditionValues', value: (c.values || []).join(', '),
    placeholder: 'DE, AT', required: true});
  const line = el('div', {class: 'row condition'}, field('Field', fieldSel), field('Test', opSel), field('Values', values));
  line.append(el('button', {type: 'button', class: 'secondary', onclick: () => line.remove()}, 'Remove'));
  line.read = () => ({field: fieldSel.value, op: opSel.value, values: values.value.split(',').map((v) => v.trim()).filter(Boolean)});
  return line;
}

function openEditor(editor, pixel, goals, trigger, status, reload, showLog) {
  const t = trigger || {when: {kind: goals.length ? 'goal' : 'page'}, who: 'customers', conditions: [], limits: {},
    action: {type: 'webhook', url: '', headers: []}};
  const goalOptions = goals.map((g) => [g.id, g.name]);
  const name = el('input', {type: 'text', name: 'name', required: true, maxlength: 200, value: t.name || ''});
  const kind = select('whenKind', WHEN, t.when.kind);
  const goal = select('whenGoal', goalOptions, t.when.goal);
  const minValue = el('input', {type: 'text', name: 'minValue', inputmode: 'decimal', value: t.when.minValue ?? '', size: 8});
  const target = el('input', {type: 'text', name: 'whenTarget', value: t.when.name || t.when.path || '',
    placeholder: '/pricing*'});
  const pattern = select('pattern', PATTERNS, t.pattern ? (t.pattern.after ? 'after' : 'times') : 'none');
  const times = el('input', {type: 'number', name: 'times', min: 2, max: 1000, value: t.pattern?.times ?? 3, size: 4});
  const within = el('input', {type: 'text', name: 'within', value: t.pattern?.within ?? '7d', size: 6});
  const after = el('input', {type: 'text', name: 'after', value: t.pattern?.after ?? '2h', size: 6});
  const unless = select('unlessGoal', [['', '(no goal)'], ...goalOptions], t.pattern?.unless?.goal || '');
  const who = select('who', [['customers', 'Recognised customers (the payload names them)'],
    ['anyone', 'Anyone (no personal data in the payload)']], t.who);
  const conditions = el('div', {}, ...(t.conditions || []).map(conditionRow));
  const oncePer = el('input', {type: 'text', name: 'oncePer', value: t.limits?.oncePer ?? '', placeholder: '30d', size: 6});
  const actionType = select('actionType', [['webhook', 'Webhook'], ['newsletter', 'Newsletter']], t.action.type);
  const platform = select('platform', [['listmonk', 'listmonk'], ['mautic', 'Mautic'], ['generic', 'Other (generic)']],
    t.action.platform || 'listmonk');
  const template = el('input', {type: 'text', name: 'template', value: t.action.template || '', size: 10});
  const url = el('input', {type: 'url', name: 'url', required: true, value: t.action.url || '',
    placeholder: 'https://hooks.example.com/speck'});
  const headerName = el('input', {type: 'text', name: 'headerName', placeholder: 'Authorization', size: 14});
  const headerValue = el('input', {type: 'password', name: 'headerValue', autocomplete: 'off',
    placeholder: trigger && t.action.headers.length ? 'kept unless you type a new one' : ''});
  const enabled = el('input', {type: 'checkbox', name: 'enabled'});
  enabled.checked = t.enabled !== false;
  const result = el('div', {'aria-live': 'polite'});
  const labels = {goal: field('Goal', goal), minValue: field('Worth at least', minValue),
    target: field('Name or path (* matches anything)', target), times: field('Times', times), within: field('Within', within),
    after: field('After', after), unless: field('Unless this goal is reached', unless),
    platform: field('Platform', platform), template: field('Template or tag', template)};
  const headingId = uid('h');
  const form = el('form', {class: 'trigger-editor', 'aria-labelledby': headingId},
    field('Name', name),
    el('fieldset', {}, el('legend', {}, 'When'),
      el('div', {class: 'row'}, field('Starts when', kind), labels.goal, labels.minValue, labels.target),
      el('div', {class: 'row'}, field('Fires', pattern), labels.times, labels.within, labels.after, labels.unless)),
    field('For', who),
    el('fieldset', {}, el('legend', {}, 'Only if'), conditions,
      el('button', {type: 'button', class: 'secondary', onclick: () => conditions.append(conditionRow())}, 'Add a condition')),
    el('div', {class: 'row'}, field('At most once per person per', oncePer, 'e.g. 30d, 12h; empty: every time')),
    el('fieldset', {}, el('legend', {}, 'Then'),
      el('div', {class: 'row'}, field('Action', actionType), labels.platform, labels.template),
      field('URL', url), el('div', {class: 'row'}, field('Header', headerName), field('Header value', headerValue))),
    el('label', {class: 'inline'}, enabled, ' On'),
    el('div', {class: 'actions'},
      el('button', {type: 'button', class: 'secondary', name: 'dryRun', onclick: () => dryRun()}, 'Dry run (last 7 days)'),
      el('button', {type: 'submit'}, trigger ? 'Save trigger' : 'Create trigger')),
    result);

  const body = () => {
    const w = {kind: kind.value};
    if (w.kind === 'goal') {
      w.goal = goal.value;
      if (minValue.value.trim()) w.minValue = minValue.value.trim();
    } else if (w.kind === 'event') w.name = target.value.trim();
    else if (w.kind === 'page') w.path = target.value.trim();
    const out = {name: name.value.trim(), enabled: enabled.checked, when: w, who: who.value,
      conditions: [...conditions.querySelectorAll('.condition')].map((c) => c.read()),
      limits: oncePer.value.trim() ? {oncePer: oncePer.value.trim()} : {},
      action: {type: actionType.value, url: url.value.trim()}};
    if (pattern.value === 'times') out.pattern = {times: Number(times.value), within: within.value.trim()};
    if (pattern.value === 'after') out.pattern = {after: after.value.trim()};
    if (out.pattern && unless.value) out.pattern.unless = {goal: unless.value};
    if (actionType.value === 'newsletter') Object.assign(out.action, {platform: platform.value, template: template.value.trim()});
    if (headerName.value.trim() && headerValue.value) out.action.headers = {[headerName.value.trim()]: headerValue.value};
    return out;
  };
  const dryRun = async () => {
    clear(result);
    try {
      const d = await api.dryRunTrigger(pixel.id, body());
      const people = d.customers ?? d.visitors;
      result.append(notice(`Would have fired ${d.wouldFire} ${d.wouldFire === 1 ? 'time' : 'times'} for ${people} `
        + `${d.customers !== undefined ? 'customers' : 'visitors'} in the last 7 days`
        + `${d.heldBackByOncePer ? ` (${d.heldBackByOncePer} held back by once-per)` : ''}.`, 'ok'));
      if (d.examples.length) result.append(el('details', {}, el('summary', {}, 'Example payload'), el('pre', {}, d.examples[0].body)));
    } catch (e) {
      result.append(notice(e.message, 'error'));
    }
  };
  const sync = () => {
    labels.goal.hidden = kind.value !== 'goal';
    labels.minValue.hidden = kind.value !== 'goal';
    labels.target.hidden = kind.value !== 'event' && kind.value !== 'page';
    target.required = !labels.target.hidden;
    labels.times.hidden = labels.within.hidden = pattern.value !== 'times';
    labels.after.hidden = pattern.value !== 'after';
    labels.unless.hidden = pattern.value === 'none';
    labels.platform.hidden = labels.template.hidden = actionType.value !== 'newsletter';
  };
  form.addEventListener('change', sync);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(status);
    const b = body();
    if (trigger && !b.action.headers && headerName.value.trim() === '' && t.action.headers.length) {
      b.action.keepHeaders = true;
    }
    try {
      const saved = trigger ? await api.updateTrigger(pixel.id, trigger.id, b) : await api.createTrigger(pixel.id, b);
      announce(trigger ? 'Trigger saved' : 'Trigger created');
      status.append(notice(`Trigger “${b.name}” ${trigger ? 'saved' : 'created'}.`, 'ok'));
      openEditor(editor, pixel, goals, null, status, reload, showLog);
      await reload();
      showLog(saved); // its deliveries and "Send test", right away
    } catch (e) {
      status.append(notice(e.message, 'error'));
    }
  });
  editor.replaceChildren(el('section', {class: 'card'},
    el('h2', {id: headingId}, trigger ? `Edit trigger “${trigger.name}”` : 'New trigger'), form));
  sync();
  if (trigger) name.focus();
}
