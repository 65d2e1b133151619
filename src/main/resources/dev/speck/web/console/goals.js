import {api} from './api.js';
import {el, clear, field, notice, section, table, row, select, announce, formatNumber, uid} from './dom.js';
import {pixelHeader} from './tabs.js';

const RULE_TYPES = [
  ['event', 'Event name'],
  ['page_url', 'Page URL'],
  ['link_click', 'Tracked-link click'],
  ['email_open', 'Email open'],
];
const MATCHES = [['equals', 'equals'], ['starts_with', 'starts with'], ['matches', 'matches pattern']];
const RULE_VALUE_LABEL = {
  event: 'Event name',
  page_url: 'URL',
  link_click: 'Tracked-link code (empty = any tracked link)',
  email_open: 'Message name (empty = any email)',
};

/** The goals editor: list, create, edit and delete a pixel's goals. */
export async function goalsPage(view, ctx) {
  const pixel = await api.pixel(ctx.pixelId);
  if (!ctx.isCurrent()) return;
  view.append(...pixelHeader(pixel, 'goals'));
  const status = el('div', {'aria-live': 'polite'});
  const list = el('div');
  const editor = el('div');
  view.append(status, section('Goals', list), editor);

  const reload = async () => {
    let goals;
    try {
      goals = await api.goals(pixel.id);
    } catch (e) {
      list.replaceChildren(notice(e.message, 'error'));
      return;
    }
    if (!ctx.isCurrent()) return;
    goals = Array.isArray(goals) ? goals : goals.goals || [];
    renderList(list, goals, {
      edit: (g) => openEditor(editor, pixel, g, status, reload),
      remove: (g) => removeGoal(pixel, g, status, reload),
    });
    if (!editor.firstChild) openEditor(editor, pixel, null, status, reload);
  };
  await reload();
}

// The field of a rule that holds what the user typed: event name, URL, link code or message.
const RULE_FIELD = {event: 'name', page_url: 'value', link_click: 'code', email_open: 'message'};

/** The rule as the API takes it, from the editor's type, match and one text. */
function ruleOf(type, match, text) {
  const rule = {type, [RULE_FIELD[type]]: text === '' ? null : text};
  if (type === 'page_url') rule.match = match;
  return rule;
}

const ruleText = (rule = {}) => rule[RULE_FIELD[rule.type]] || '';

function describeRule(rule = {}) {
  const type = (RULE_TYPES.find(([v]) => v === rule.type) || [rule.type, rule.type])[1];
  if (rule.type === 'page_url') {
    return `${type} ${(MATCHES.find(([v]) => v === rule.match) || ['', rule.match])[1]} ${rule.value}`;
  }
  return ruleText(rule) ? `${type}: ${ruleText(rule)}` : `${type} (any)`;
}

function describeValue(goal) {
  const v = goal.value || {type: 'none'};
  const unit = goal.currency || 'points';
  if (v.type === 'fixed') return `${formatNumber(v.amount, 2)} ${unit}`;
  if (v.type === 'from_hit') {
    return `from the hit (${v.min ?? '−∞'} to ${v.max ?? '∞'}) ${unit}`;
  }
  return 'no value';
}

function renderList(list, goals, actions) {
  clear(list);
  if (!goals.length) {
    list.append(el('p', {class: 'muted'}, 'No goals yet. Create the first one below.'));
    return;
  }
  list.append(table(['Goal', 'Reached when', 'Value', 'Counted', 'Actions'], goals.map((g) => row([
    g.name, describeRule(g.rule), describeValue(g), g.counting === 'once_per_visitor' ? 'once per visitor' : 'every time',
    el('div', {class: 'actions'},
      el('button', {type: 'button', class: 'secondary', 'aria-label': `Edit ${g.name}`, onclick: () => actions.edit(g)}, 'Edit'),
      el('button', {type: 'button', class: 'danger', 'aria-label': `Delete ${g.name}`, onclick: () => actions.remove(g)}, 'Delete')),
  ], [], {'data-goal': g.id})), {caption: 'Goals'}));
}

async function removeGoal(pixel, goal, status, reload) {
  clear(status);
  if (!window.confirm(`Delete the goal “${goal.name}”? Its achievements stay stored but leave the report.`)) return;
  try {
    await api.deleteGoal(pixel.id, goal.id);
    announce('Goal deleted');
    await reload();
  } catch (e) {
    status.append(notice(e.message, 'error'));
  }
}

function radios(name, legendText, options, current) {
  const box = el('fieldset', {}, el('legend', {}, legendText));
  for (const [value, text] of options) {
    box.append(el('label', {class: 'inline'},
      el('input', {type: 'radio', name, value, checked: value === current}), ' ', text));
  }
  return box;
}

const checked = (form, name) => (form.querySelector(`input[name="${name}"]:checked`) || {}).value;
const numberOrNull = (input) => (input.value.trim() === '' ? null : Number(input.value));

function openEditor(editor, pixel, goal, status, reload) {
  const g = goal || {rule: {type: 'event', name: ''}, value: {type: 'none'}, currency: null, counting: 'every_time'};
  const v = g.value || {type: 'none'};
  const name = el('input', {type: 'text', name: 'name', required: true, maxlength: 128, value: g.name || ''});
  const ruleType = select('ruleType', RULE_TYPES, g.rule.type);
  const match = select('ruleMatch', MATCHES, g.rule.match || 'equals');
  const ruleValue = el('input', {type: 'text', name: 'ruleValue', value: ruleText(g.rule)});
  const ruleValueText = el('span', {}, '');
  const matchLabel = field('Match', match);
  const ruleValueLabel = el('label', {}, ruleValueText, ruleValue);
  const amount = el('input', {type: 'number', name: 'amount', step: 'any', value: v.amount ?? ''});
  const min = el('input', {type: 'number', name: 'min', step: 'any', value: v.min ?? ''});
  const max = el('input', {type: 'number', name: 'max', step: 'any', value: v.max ?? ''});
  const currency = el('input', {type: 'text', name: 'currency', maxlength: 3, pattern: '[A-Za-z]{3}',
    placeholder: 'EUR', value: g.currency || '', size: 5});
  const amountLabel = field('Amount', amount);
  const rangeBox = el('div', {class: 'row'}, field('Minimum', min), field('Maximum', max));
  const currencyLabel = field('Currency (ISO code)', currency);
  const valueMode = radios('valueMode', 'Value', [['none', 'None'], ['fixed', 'Fixed amount'],
    ['from_hit', 'From the hit (within min/max)']], v.type || 'none');
  const unit = radios('unit', 'Counts in', [['points', 'Points'], ['money', 'Money']], g.currency ? 'money' : 'points');
  const refunds = el('input', {type: 'checkbox', name: 'allowNegative'});
  refunds.checked = Boolean(g.allowNegative);
  const refundsLabel = el('label', {}, refunds, ' Takes refunds (values below zero)');
  const counting = radios('counting', 'Counting', [['every_time', 'Every time'],
    ['once_per_visitor', 'Once per visitor']], g.counting || 'every_time');
  const headingId = uid('h');
  const form = el('form', {class: 'goal-editor', 'aria-labelledby': headingId},
    field('Name', name),
    el('fieldset', {}, el('legend', {}, 'Reached when'),
      el('div', {class: 'row'}, field('Rule', ruleType), matchLabel, ruleValueLabel)),
    valueMode, el('div', {class: 'row'}, amountLabel), rangeBox, unit, el('div', {class: 'row'}, currencyLabel),
    el('div', {class: 'row'}, refundsLabel), counting,
    el('div', {class: 'actions'}, el('button', {type: 'submit'}, goal ? 'Save goal' : 'Create goal'),
      goal ? el('button', {type: 'button', class: 'secondary', onclick: () => openEditor(editor, pixel, null, status, reload)},
        'Cancel') : null));

  const sync = () => {
    matchLabel.hidden = ruleType.value !== 'page_url';
    ruleValueText.textContent = RULE_VALUE_LABEL[ruleType.value];
    ruleValue.required = ruleType.value === 'event' || ruleType.value === 'page_url';
    const mode = checked(form, 'valueMode');
    amountLabel.hidden = mode !== 'fixed';
    amount.required = mode === 'fixed';
    rangeBox.hidden = mode !== 'from_hit';
    unit.hidden = mode === 'none';
    refundsLabel.hidden = mode === 'none';
    currencyLabel.hidden = mode === 'none' || checked(form, 'unit') !== 'money';
    currency.required = !currencyLabel.hidden;
  };
  form.addEventListener('change', sync);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear(status);
    const mode = checked(form, 'valueMode');
    const body = {
      name: name.value.trim(),
      rule: ruleOf(ruleType.value, match.value, ruleValue.value.trim()),
      value: mode === 'fixed' ? {type: mode, amount: numberOrNull(amount)}
        : mode === 'from_hit' ? {type: mode, min: numberOrNull(min), max: numberOrNull(max)} : {type: 'none'},
      currency: mode !== 'none' && checked(form, 'unit') === 'money' ? currency.value.trim().toUpperCase() : null,
      counting: checked(form, 'counting'),
      allowNegative: mode !== 'none' && refunds.checked,
    };
    if (goal && goal.version !== undefined) body.version = goal.version;
    try {
      if (goal) await api.updateGoal(pixel.id, goal.id, body);
      else await api.createGoal(pixel.id, body);
      announce(goal ? 'Goal saved' : 'Goal created');
      status.append(notice(goal ? `Goal “${body.name}” saved.` : `Goal “${body.name}” created.`, 'ok'));
      openEditor(editor, pixel, null, status, reload);
      await reload();
    } catch (e) {
      const changed = e.status === 409 && goal;
      status.append(notice(changed ? `${e.message}. The list below shows the goal as it is now; edit it again.` : e.message, 'error'));
      if (changed) await reload();
    }
  });
  editor.replaceChildren(el('section', {class: 'card'},
    el('h2', {id: headingId}, goal ? `Edit goal “${goal.name}”` : 'New goal'), form));
  sync();
  if (goal) name.focus();
}
