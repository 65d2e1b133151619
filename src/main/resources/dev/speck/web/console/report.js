import {api} from './api.js';
import {el, clear, field, notice, section, table, row, select, formatNumber, formatPercent, formatMoney,
  geoAttribution, formatTime} from './dom.js';
import {pixelHeader} from './tabs.js';
import {drawChart, toSeconds} from './chart.js';
import {watchHits, describeHit} from './live.js';

const DIMENSIONS = ['channel', 'source', 'utm_campaign', 'utm_medium', 'landing_page', 'country', 'device_class',
  'browser', 'os'].map((d) => [d, d.replace('_', ' ')]);
const PRESETS = [['7', 'Last 7 days'], ['30', 'Last 30 days'], ['90', 'Last 90 days'], ['custom', 'Custom range']];
const INTERVALS = [['hour', 'Hour'], ['day', 'Day'], ['week', 'Week'], ['month', 'Month']];
const TRAFFIC = [['human', 'People'], ['non-human', 'Set apart (not people)'], ['all', 'All hits']];
const LIVE_MAX = 50;
/** How the stored channel names (docs/CHANNELS.md) read; a name not listed shows as stored. */
const CHANNEL_LABELS = {direct: 'Direct', internal: 'Internal', search: 'Organic search', social: 'Organic social',
  video: 'Organic video', email: 'Email', sms: 'SMS', push: 'Push notifications', affiliate: 'Affiliates',
  display: 'Display', paid_search: 'Paid search', paid_social: 'Paid social', paid: 'Paid other', app: 'App',
  other: 'Referral / other'};
/** A dimension's value as shown: channels by their label, the rest as stored. */
const shown = (dimension, value) => (dimension === 'channel' && CHANNEL_LABELS[value]) || value;

/** replaceChildren, leaving out the parts that are not there (replaceChildren would show them as "null"). */
const fill = (node, ...children) => node.replaceChildren(...children.filter((c) => c !== null && c !== undefined));
/** A goal without a value (no currency and nothing counted) shows no value rather than "0 pts". */
const worth = (amount, g) => (!g.currency && !Number(g.totalValue) ? '—' : formatMoney(amount, g.currency));

// Report days are UTC days, as the API counts them.
const isoDay = (d) => d.toISOString().slice(0, 10);

function presetRange(days) {
  const to = new Date();
  const from = new Date(to.getTime() - (Number(days) - 1) * 86400000);
  return {from: isoDay(from), to: isoDay(to)};
}

/** The goals report: totals, a chart against the previous period, breakdown, attribution, live hits. */
export async function reportPage(view, ctx) {
  const pixel = await api.pixel(ctx.pixelId);
  if (!ctx.isCurrent()) return;
  const state = {...presetRange(30), preset: '30', interval: 'day', compare: true, traffic: 'human', filters: {},
    dimension: 'channel',
    goals: []};
  const parts = {
    summary: el('div'), chart: el('div'), breakdown: el('div'), attribution: el('div'), chips: el('ul', {class: 'chips'}),
  };
  let removeChart = () => {};
  ctx.onLeave(() => removeChart());

  const reload = async () => {
    renderChips(parts.chips, state, reload);
    const report = await loadSummary(pixel, state, parts.summary);
    if (!ctx.isCurrent()) return;
    removeChart();
    removeChart = renderChart(parts.chart, report, state);
    loadBreakdown(pixel, state, parts.breakdown, reload);
    renderAttribution(pixel, state, parts.attribution);
  };

  view.append(...pixelHeader(pixel, 'report'),
    controls(state, reload),
    section('Filters', parts.chips),
    section('Goals', parts.summary),
    section('Over time', parts.chart),
    section('Breakdown', parts.breakdown),
    section('Attribution', parts.attribution),
    liveSection(pixel, ctx));
  await reload();
}

function controls(state, reload) {
  const preset = select('preset', PRESETS, state.preset);
  const from = el('input', {type: 'date', name: 'from', value: state.from});
  const to = el('input', {type: 'date', name: 'to', value: state.to});
  const interval = select('interval', INTERVALS, state.interval);
  const compare = el('input', {type: 'checkbox', name: 'compare', checked: state.compare});
  const traffic = select('traffic', TRAFFIC, state.traffic);
  const fromLabel = field('From', from);
  const toLabel = field('To', to);
  const form = el('form', {class: 'report-controls', 'aria-label': 'Report period'},
    el('div', {class: 'row'}, field('Period', preset), fromLabel, toLabel, field('Interval', interval),
      field('Traffic', traffic), el('label', {class: 'inline'}, compare, ' Compare with the previous period')));
  const sync = () => { fromLabel.hidden = toLabel.hidden = preset.value !== 'custom'; };
  form.addEventListener('change', (event) => {
    state.preset = preset.value;
    if (preset.value !== 'custom') {
      Object.assign(state, presetRange(preset.value));
      from.value = state.from;
      to.value = state.to;
    } else if (from.value && to.value) {
      state.from = from.value;
      state.to = to.value;
    }
    state.interval = interval.value;
    state.compare = compare.checked;
    state.traffic = traffic.value;
    sync();
    if (event.target !== preset || preset.value !== 'custom') reload();
  });
  form.addEventListener('submit', (event) => event.preventDefault());
  sync();
  return el('section', {class: 'card'}, form);
}

function renderChips(chips, state, reload) {
  clear(chips);
  const entries = Object.entries(state.filters);
  if (!entries.length) {
    chips.append(el('li', {class: 'muted'}, 'No filters. Click a row of the breakdown to filter by it.'));
    return;
  }
  for (const [dimension, value] of entries) {
    chips.append(el('li', {}, `${dimension}: ${shown(dimension, value)}`, el('button', {
      type: 'button', class: 'secondary', 'aria-label': `Remove filter ${dimension} ${value}`,
      onclick: () => { delete state.filters[dimension]; reload(); },
    }, '×')));
  }
}

function csvLink(href, what) {
  return el('a', {class: 'button secondary csv', href, download: '', 'aria-label': `Download ${what} as CSV`},
    'Download CSV');
}

function delta(current, previous) {
  if (previous === null || previous === undefined || !Number(previous)) return null;
  const change = (Number(current) - Number(previous)) / Number(previous);
  return el('span', {class: `delta ${change >= 0 ? 'up' : 'down'}`},
    ` (${change >= 0 ? '+' : ''}${(change * 100).toFixed(0)} %)`);
}

async function loadSummary(pixel, state, area) {
  let report;
  try {
    report = await api.report(pixel.id, state);
    if (state.compare && report.previous) {
      // the report gives the previous period's totals; its series (for the chart) is that period's own report
      const before = await api.report(pixel.id, {...state, from: report.previous.from, to: report.previous.to, compare: false});
      report.previous.series = before.series;
    }
  } catch (e) {
    fill(area, notice(e.message, 'error'));
    state.goals = [];
    return null;
  }
  const previous = (report.previous && report.previous.goals) || [];
  const prevOf = (g) => previous.find((p) => p.goal === g.goal) || {};
  state.goals = report.goals || [];
  const rows = state.goals.map((g) => row([
    g.name,
    [formatNumber(g.achievements), state.compare ? delta(g.achievements, prevOf(g).achievements) : null],
    [formatNumber(g.achievers), state.compare ? delta(g.achievers, prevOf(g).achievers) : null],
    formatPercent(g.conversionRate),
    worth(g.totalValue, g),
    worth(g.averageValue, g),
  ], [1, 2, 3, 4, 5], {'data-goal': g.goal}));
  fill(area,
    el('dl', {class: 'stats'}, el('div', {}, el('dt', {}, 'Visitors'), el('dd', {class: 'visitors'},
      formatNumber(report.visitors), state.compare && report.previous ? delta(report.visitors, report.previous.visitors) : null))),
    report.identity ? el('p', {class: 'muted identity-window'}, `Visitors counted as ${report.identity.uniqueVisitors}.`) : null,
    report.visitorIdentityNote ? el('p', {class: 'muted'}, report.visitorIdentityNote) : null,
    setApartLine(report),
    rows.length ? table(['Goal', 'Achievements', 'Unique achievers', 'Conversion rate', 'Total value', 'Average value'],
      rows, {numeric: [1, 2, 3, 4, 5], caption: 'Goals'})
      : el('p', {class: 'muted'}, report.goalsDefined ? 'No goals reached in this period.'
        : 'No goals yet: create them on the Goals tab.'),
    el('div', {class: 'actions'}, csvLink(api.reportUrl(pixel.id, state, true), 'goals report')),
    geoAttribution(report));
  return report;
}

/** "1,204 hits not from people not counted (1,000 bot, 204 automation)", or what the other filters show. */
function setApartLine(report) {
  const apart = report.setApart;
  if (!apart) return null;
  const why = Object.entries(apart.byVerdict || {}).map(([verdict, n]) => `${formatNumber(n)} ${verdict}`).join(', ');
  if (report.traffic === 'non-human') {
    return el('p', {class: 'set-apart'}, `Showing only the ${formatNumber(apart.total)} hits that are not people`
      + (why ? ` (${why}).` : '.'));
  }
  if (report.traffic === 'all') {
    return el('p', {class: 'set-apart'}, `Counting every hit, people or not; ${formatNumber(apart.total)} are not people`
      + (why ? ` (${why}).` : '.'));
  }
  if (!apart.total) return null;
  return el('p', {class: 'set-apart muted'}, `${formatNumber(apart.total)} hits from bots and other non-people not counted`
    + (why ? ` (${why}).` : '.'));
}

function renderChart(area, report, state) {
  clear(area);
  if (!report || !Array.isArray(report.series) || !report.series.length) {
    area.append(el('p', {class: 'muted'}, report ? 'No data in this period.' : 'The chart needs the report.'));
    return () => {};
  }
  const metric = select('metric', [['visitors', 'Visitors'], ...state.goals.map((g) => [g.goal, g.name])],
    state.metric || 'visitors');
  const plotArea = el('div', {class: 'chart'});
  const valueOf = (point) => (state.metric && state.metric !== 'visitors'
    ? Number((point.achievements || {})[state.metric] || 0) : Number(point.visitors || 0));
  let remove = () => {};
  const draw = () => {
    remove();
    const xs = report.series.map((p) => toSeconds(p.start));
    const label = metric.options[metric.selectedIndex].textContent;
    const series = [{label, values: report.series.map(valueOf)}];
    const prev = state.compare && report.previous && report.previous.series;
    if (prev && prev.length) {
      series.push({label: `${label}, previous period`, dashed: true,
        values: report.series.map((_, i) => (prev[i] ? valueOf(prev[i]) : null))});
    }
    remove = drawChart(plotArea, xs, series, `${label} per ${state.interval}${prev ? ', with the previous period' : ''}`);
  };
  metric.addEventListener('change', () => { state.metric = metric.value; draw(); });
  area.append(el('div', {class: 'row'}, field('Show', metric)), plotArea);
  requestAnimationFrame(draw); // after layout, so the chart takes the card's width
  return () => remove();
}

async function loadBreakdown(pixel, state, area, reload) {
  const dimension = select('dimension', DIMENSIONS, state.dimension);
  dimension.addEventListener('change', () => { state.dimension = dimension.value; loadBreakdown(pixel, state, area, reload); });
  const body = el('div', {}, el('p', {class: 'muted'}, 'Loading…'));
  fill(area, el('div', {class: 'row'}, field('Break down by', dimension)), body);
  let data;
  try {
    data = await api.breakdown(pixel.id, state, state.dimension);
  } catch (e) {
    fill(body, notice(e.message, 'error'));
    return;
  }
  const goals = state.goals;
  const addFilter = (key) => {
    state.filters[state.dimension] = key;
    reload();
  };
  const rows = (data.rows || []).map((r) => {
    const per = (g) => (r.goals || []).find((x) => x.goal === g.goal) || {};
    const key = r.value === null || r.value === undefined || r.value === '' ? '(none)' : String(r.value);
    const button = el('button', {type: 'button', class: 'secondary', 'aria-label': `Filter by ${state.dimension} ${key}`,
      onclick: (event) => { event.stopPropagation(); addFilter(key); }}, shown(state.dimension, key));
    return row([button, formatNumber(r.visitors),
      ...goals.flatMap((g) => [formatNumber(per(g).achievements), formatPercent(per(g).conversionRate)])],
    goals.flatMap((_, i) => [2 + 2 * i, 3 + 2 * i]).concat([1]), {class: 'clickable', onclick: () => addFilter(key)});
  });
  fill(body,
    rows.length ? table([state.dimension.replace('_', ' '), 'Visitors', ...goals.flatMap((g) => [g.name, `${g.name} rate`])],
      rows, {numeric: [1, ...goals.flatMap((_, i) => [2 + 2 * i, 3 + 2 * i])], caption: `Breakdown by ${state.dimension}`})
      : el('p', {class: 'muted'}, 'No data for this breakdown.'),
    el('div', {class: 'actions'}, csvLink(api.breakdownUrl(pixel.id, state, state.dimension, true), 'breakdown')),
    geoAttribution(data));
}

function renderAttribution(pixel, state, area) {
  if (!state.goals.length) {
    fill(area, el('p', {class: 'muted'}, 'Attribution needs goals.'));
    return;
  }
  let options = state.attribution;
  if (!options || !state.goals.some((g) => g.goal === options.goal)) {
    options = {goal: state.goals[0].goal, model: 'last', lookbackDays: 30};
  }
  state.attribution = options;
  const goal = select('goal', state.goals.map((g) => [g.goal, g.name]), options.goal);
  const model = select('model', [['first', 'First touch'], ['last', 'Last touch']], options.model);
  const lookback = el('input', {type: 'number', name: 'lookbackDays', min: 0, max: 365, value: options.lookbackDays});
  const body = el('div');
  const form = el('form', {class: 'row', 'aria-label': 'Attribution settings'}, field('Goal', goal), field('Model', model),
    field('Lookback days', lookback));
  const load = async () => {
    const days = lookback.value.trim() === '' ? 30 : Number(lookback.value);
    Object.assign(options, {goal: goal.value, model: model.value, lookbackDays: days});
    fill(body, el('p', {class: 'muted'}, 'Loading…'));
    try {
      const data = await api.attribution(pixel.id, state, options);
      const rows = (data.rows || []).map((r) => row([r.campaign || '(none)', r.source || '(none)', shown('channel', r.channel) || '(none)',
        formatNumber(r.achievements), formatNumber(r.value, 2)], [3, 4]));
      fill(body, rows.length ? table(['Campaign', 'Source', 'Channel', 'Achievements', 'Value'], rows,
        {numeric: [3, 4], caption: 'Attribution'}) : el('p', {class: 'muted'}, 'No achievements to attribute.'),
      el('div', {class: 'actions'}, csvLink(api.attributionUrl(pixel.id, state, options, true), 'attribution')),
      geoAttribution(data));
    } catch (e) {
      fill(body, notice(e.message, 'error'));
    }
  };
  form.addEventListener('change', load);
  form.addEventListener('submit', (event) => { event.preventDefault(); load(); });
  fill(area, form, body);
  load();
}

function liveSection(pixel, ctx) {
  const list = el('ul', {class: 'live-list', 'aria-live': 'off'});
  const state = el('p', {class: 'muted'}, 'Connecting…');
  const pause = el('button', {type: 'button', class: 'secondary', 'aria-pressed': 'false'}, 'Pause');
  let paused = false;
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.textContent = paused ? 'Resume' : 'Pause';
    pause.setAttribute('aria-pressed', String(paused));
  });
  const credit = el('div');
  const stop = watchHits(pixel.id, (e) => {
    if (paused) return;
    const {when, text} = describeHit(e);
    list.prepend(el('li', {}, el('time', {}, formatTime(when)), ' ', text));
    if (e.country && e.geo_database && /db-?ip/i.test(e.geo_database) && !credit.firstChild) {
      credit.append(geoAttribution({attribution: true}));
    }
    while (list.children.length > LIVE_MAX) list.lastChild.remove();
  }, (s) => {
    state.textContent = s === 'live' ? 'Hits appear here as they arrive.' : s === 'polling'
      ? 'Hits appear here within a few seconds.' : 'Reconnecting…';
  });
  ctx.onLeave(stop);
  return section('Live hits', el('div', {class: 'actions'}, pause), state, list, credit);
}
