// Forecast view: a series from a sample, a file or the clipboard; :forecast drawn as history, mean and
// interval bands, one panel per target; :backtest as a table of the model against the naive baselines.
// A model whose manifest names its variables reads the CSV's columns of those names (targets, covariates);
// trailing rows without targets hold the future covariates, and the time column's first cell is the start.
import { curlFor, request } from './api.js';
import { fillModelSelect, modelDetail } from './catalog.js';
import { dropCharts, forecastChart } from './charts.js';
import { showAccuracy } from './accuracy.js';
import { parseCsv } from './csv.js';
import { $, el, busy, clearProblem, fmt, sentence, showProblem } from './ui.js';

let parsed = null;
let parseError = null;
let firstShow = true;
let variables = null; // the model's named variables: {targets, past, future, calendar, frequency} or null

export function init() {
  $('#forecast-form').addEventListener('submit', event => {
    event.preventDefault();
    runForecast();
  });
  $('#backtest-run').addEventListener('click', runBacktest);
  $('#forecast-model').addEventListener('change', describeModel);
  $('#forecast-sample').addEventListener('change', loadSample);
  $('#forecast-file').addEventListener('change', async event => {
    const file = event.target.files[0];
    if (file) {
      $('#forecast-sample').value = '';
      setCsv(await file.text(), file.name);
    }
  });
  $('#forecast-csv').addEventListener('input', () => reparse());
  $('#forecast-column').addEventListener('change', () => describeSeries());
}

export async function show(params) {
  try {
    await fillModelSelect($('#forecast-model'), 'forecasting', params);
    if (firstShow && !params.model) {
      await preferCalibrated();
    }
  } catch (error) {
    showProblem($('#forecast-error'), error);
  }
  await describeModel();
  const sample = params.sample && $(`#forecast-sample option[value="${CSS.escape(params.sample)}"]`) ? params.sample : null;
  if (sample || !$('#forecast-csv').value.trim()) {
    $('#forecast-sample').value = sample || '/samples/sunspots.csv';
    await loadSample();
  }
  // A newcomer sees a forecast at once, as does whoever arrives with a model (e.g. from a training job).
  if ((firstShow || params.model) && parsed && $('#forecast-model').value) {
    runForecast();
  }
  firstShow = false;
}

/** Picks the first model with stored residuals: its forecast shows intervals. */
async function preferCalibrated() {
  for (const option of $('#forecast-model').options) {
    if (option.value && residualSteps((await modelDetail(option.value)).manifest?.forecasting || {})) {
      $('#forecast-model').value = option.value;
      return;
    }
  }
}

/** Horizon steps with stored residuals (the first target's, for a model naming its targets). */
function residualSteps(f) {
  return Object.keys((f.targets ? f.targets[0]?.residuals : f.residuals) || {}).length;
}

const names = list => (list || []).map(v => v.name);

async function describeModel() {
  const info = $('#forecast-model-info');
  const ref = $('#forecast-model').value;
  info.textContent = '';
  variables = null;
  if (!ref) {
    info.textContent = 'Load a forecasting model (task: forecasting in its seqserve.yaml) or train one in Training.';
    return;
  }
  showAccuracy(ref.split('/')[0]);
  let d;
  try {
    d = await modelDetail(ref);
  } catch (error) {
    showProblem($('#forecast-error'), error);
    return;
  }
  const f = d.manifest?.forecasting || {};
  const steps = residualSteps(f);
  if (f.targets) {
    variables = { targets: names(f.targets), past: names(f.past_covariates), future: names(f.future_covariates),
      calendar: f.calendar || [], frequency: f.frequency };
  }
  const v = variables;
  info.textContent = [sentence(d.manifest?.description),
    f.window ? `Reads the last ${f.window} values.` : null,
    v ? `Forecasts ${quoted(v.targets)}${v.past.length ? `, reading ${quoted(v.past)} up to now` : ''}`
        + `${v.future.length ? `, and ${quoted(v.future)} known ahead (rows after the last target value)` : ''}`
        + `${v.calendar.length ? `; ${v.calendar.join(', ').replace(/_/g, ' ')} from the first column's dates` : ''}.` : null,
    steps ? `Intervals calibrated for ${steps} step${steps > 1 ? 's' : ''} ahead.` : 'No stored residuals: no intervals.']
      .filter(Boolean).join(' ');
  reparse();
}

const quoted = list => list.map(n => `“${n}”`).join(', ');

async function loadSample() {
  const url = $('#forecast-sample').value;
  if (!url) {
    return;
  }
  try {
    setCsv(await request(url, { accept: 'text/csv' }), url.split('/').pop());
  } catch (error) {
    showProblem($('#forecast-error'), error);
  }
}

function setCsv(text, source) {
  $('#forecast-csv').value = text.trimEnd();
  reparse(source);
}

function reparse(source) {
  const text = $('#forecast-csv').value;
  const select = $('#forecast-column');
  const previous = select.value;
  parsed = null;
  parseError = null;
  if (text.trim()) {
    try {
      parsed = parseCsv(text);
    } catch (error) {
      parseError = error.message;
    }
  }
  const columns = parsed ? parsed.columns : [];
  select.replaceChildren(...columns.map(c => el('option', { value: c.name, text: c.name })));
  if (columns.some(c => c.name === previous)) {
    select.value = previous;
  } else if (columns.length) {
    select.value = columns[columns.length - 1].name;
  }
  $('#forecast-column-field').hidden = columns.length < 2 || Boolean(variables);
  describeSeries(source);
}

function describeSeries(source) {
  const info = $('#forecast-csv-info');
  if (parseError) {
    info.textContent = parseError;
    return;
  }
  let s;
  try {
    s = series();
  } catch (error) {
    info.textContent = error.message;
    return;
  }
  if (!s) {
    info.textContent = '';
    return;
  }
  if (s.panels) {
    const axis = parsed.time ? `, ${parsed.time.name} ${label(s.x[0])}–${label(s.x[s.x.length - 1])}` : '';
    info.textContent = `${source ? `${source}: ` : ''}${s.x.length} rows of ${quoted(s.panels.map(p => p.name))}${axis}`
        + `${s.future ? `, then ${s.future.length} rows of future covariates` : ''}.`;
    return;
  }
  const missing = s.values.filter(v => v === null).length;
  const axis = parsed.time ? `, ${parsed.time.name} ${label(s.x[0])}–${label(s.x[s.x.length - 1])}` : '';
  info.textContent = `${source ? `${source}: ` : ''}${s.values.length} values of “${s.name}”${axis}`
      + `${missing ? `, ${missing} missing (filled by the model's rule)` : ''}.`;

  function label(x) {
    return parsed.time.dates ? new Date(x * 1000).toISOString().slice(0, 10) : x;
  }
}

/** The chosen column with its time axis (seconds for dates), or null; for a model naming its variables, all of them. */
function series() {
  if (!parsed) {
    return null;
  }
  if (variables) {
    return variableSeries();
  }
  const column = parsed.columns.find(c => c.name === $('#forecast-column').value) || parsed.columns[0];
  const x = parsed.time
      ? parsed.time.values.map(v => (parsed.time.dates ? v / 1000 : v))
      : column.values.map((_, i) => i + 1);
  return { name: column.name, values: column.values, x, dates: Boolean(parsed.time?.dates) };
}

/**
 * The model's variables from the CSV columns of the same names: history rows up to the last one with a target
 * value, the future covariates of the rows after it, the first time cell as the start.
 */
function variableSeries() {
  const v = variables;
  const column = name => {
    const c = parsed.columns.find(col => col.name === name);
    if (!c) {
      throw new Error(`The model reads the column “${name}”, which this CSV does not have as numbers (it has ${quoted(parsed.names)}).`);
    }
    return c.values;
  };
  const all = [...v.targets, ...v.past, ...v.future].map(column);
  const targets = v.targets.map(column);
  let end = parsed.rows;
  while (end > 0 && targets.every(values => values[end - 1] === null)) {
    end--;
  }
  const rows = Array.from({ length: end }, (_, t) => all.map(values => values[t]));
  const future = v.future.length && end < parsed.rows
    ? Array.from({ length: parsed.rows - end }, (_, j) => v.future.map(name => column(name)[end + j]))
    : null;
  if (future && future.some(row => row.some(value => value === null))) {
    throw new Error(`Every row after the last target value needs ${quoted(v.future)}: they are the future covariates.`);
  }
  const x = parsed.time
    ? parsed.time.values.slice(0, end).map(t => (parsed.time.dates ? t / 1000 : t))
    : rows.map((_, i) => i + 1);
  return {
    name: v.targets.join(', '), x, dates: Boolean(parsed.time?.dates), rows, future,
    start: parsed.time ? parsed.time.cells[0] : undefined,
    panels: v.targets.map((name, j) => ({ name, values: targets[j].slice(0, end) })),
  };
}

/** The request's series for the chosen data. */
function seriesBody(s) {
  if (!s.panels) {
    return { id: s.name, values: s.values };
  }
  return { id: 'data', values: s.rows, ...(s.future ? { future: s.future } : {}), ...(s.start ? { start: s.start } : {}) };
}

/** Reads the form; throws an Error with a readable message for what the page can tell is wrong. */
function requestParts() {
  const ref = $('#forecast-model').value;
  if (!ref) {
    throw new Error('Choose a forecasting model first.');
  }
  if (parseError) {
    throw new Error(parseError);
  }
  const s = series();
  if (!s) {
    throw new Error('Give a series: choose a sample, upload a CSV file or paste values.');
  }
  const levelText = $('#forecast-levels').value.trim();
  const level = levelText ? levelText.split(/[\s,;]+/).filter(Boolean).map(Number) : [];
  if (level.some(Number.isNaN)) {
    throw new Error(`Interval levels must be numbers, e.g. 80, 95 (got “${levelText}”).`);
  }
  const horizon = Number($('#forecast-horizon').value);
  return { ref, s, level, horizon };
}

function pageError(error) {
  return error.problem ? error : { problem: { title: 'Check the form', detail: error.message } };
}

/** Clears the error box and reads the form; null (with the problem shown) when the form is unusable. */
function readForm(box) {
  clearProblem(box);
  try {
    return requestParts();
  } catch (error) {
    showProblem(box, pageError(error));
    return null;
  }
}

async function runForecast() {
  const box = $('#forecast-error');
  const parts = readForm(box);
  if (!parts) {
    return;
  }
  const { ref, s, level, horizon } = parts;
  const body = { series: [seriesBody(s)], horizon, level };
  const path = `/v1/models/${ref}:forecast`;
  const status = $('#forecast-status');
  status.textContent = 'Forecasting…';
  await busy($('#forecast-run'), 'Forecasting…', async () => {
    try {
      const started = performance.now();
      const answer = await request(path, { method: 'POST', json: body });
      const ms = performance.now() - started;
      const shown = draw(s, answer.forecasts);
      const n = s.x.length;
      const result = answer.forecasts[0];
      const what = s.panels ? `${answer.forecasts.length} target${answer.forecasts.length > 1 ? 's' : ''}, ` : '';
      status.textContent = `${answer.model} version ${answer.version}: ${what}${result.mean.length} steps ahead of ${n} values`
          + ` in ${fmt(ms, 0)} ms.${shown < n ? ` Showing the last ${shown}: drag to zoom, double-click for all.` : ''}`;
      renderWarnings(answer.warnings);
      renderValues(s, answer.forecasts);
      const example = { ...seriesBody(s), values: ['…'], ...(s.future ? { future: ['…'] } : {}) };
      $('#forecast-curl').textContent = curlFor(path, { ...body, series: [example] });
      $('#forecast-curl-box').hidden = false;
    } catch (error) {
      status.textContent = '';
      showProblem(box, error);
    }
  });
}

function renderWarnings(warnings = []) {
  $('#forecast-warnings').replaceChildren(...warnings.map(w => el('li', { text: w })));
}

/**
 * The forecasts on charts: one chart as before for a model of one unnamed target, else one panel per target
 * (charts forecast:<target>; the first is also charts.forecast). Returns how many history points are shown.
 */
function draw(s, forecasts) {
  const container = $('#forecast-chart');
  dropCharts('forecast');
  if (!s.panels) {
    return forecastChart(container, { x: s.x, dates: s.dates, history: s.values, forecast: forecasts[0],
      label: s.name, xLabel: parsed.time?.name }).shown;
  }
  container.replaceChildren();
  let shown = s.x.length;
  forecasts.forEach((forecast, j) => {
    const panel = s.panels.find(p => p.name === forecast.target) || s.panels[j];
    const chart = el('div', { class: 'chart', role: 'img', 'aria-label': `${panel.name}: history, forecast and intervals` });
    container.append(el('div', { class: 'chart-panel' }, el('h3', { text: panel.name }), chart));
    const drawn = forecastChart(chart, { x: s.x, dates: s.dates, history: panel.values, forecast, label: panel.name,
      xLabel: parsed.time?.name, name: `forecast:${panel.name}`, height: forecasts.length > 1 ? 240 : undefined });
    if (j === 0) {
      window.seqserveConsole.charts.forecast = drawn.chart;
    }
    shown = Math.min(shown, drawn.shown);
  });
  return shown;
}

function renderValues(s, forecasts) {
  const result = forecasts[0];
  const levels = Object.keys(result.intervals || {}).sort((a, b) => Number(a) - Number(b));
  const step = s.x.length > 1 ? s.x[s.x.length - 1] - s.x[s.x.length - 2] : 1;
  const prefix = f => (forecasts.length > 1 ? `${f.target} ` : '');
  const head = el('tr', {}, el('th', { scope: 'col', text: s.dates ? 'time' : (parsed.time?.name || 'step') }),
      forecasts.map(f => [el('th', { scope: 'col', text: `${prefix(f)}mean` }),
        levels.filter(l => f.intervals?.[l]).map(l => [el('th', { scope: 'col', text: `${prefix(f)}${l}% lower` }),
          el('th', { scope: 'col', text: `${prefix(f)}${l}% upper` })])]));
  const rows = result.mean.map((_, i) => {
    const x = s.x[s.x.length - 1] + step * (i + 1);
    return el('tr', {}, el('th', { scope: 'row', text: s.dates ? new Date(x * 1000).toISOString().slice(0, 10) : plain(x) }),
        forecasts.map(f => [el('td', { class: 'num', text: fmt(f.mean[i]) }),
          levels.filter(l => f.intervals?.[l]).map(l => [el('td', { class: 'num', text: fmt(f.intervals[l].lower[i]) }),
            el('td', { class: 'num', text: fmt(f.intervals[l].upper[i]) })])]));
  });
  $('#forecast-values').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
  $('#forecast-values-box').hidden = false;
}

/** A time value as written in the data (2013, not 2,013). */
function plain(x) {
  return x.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 3 });
}

async function runBacktest() {
  const box = $('#forecast-error');
  const parts = readForm(box);
  if (!parts) {
    return;
  }
  const { ref, s, level, horizon } = parts;
  const body = { series: [seriesBody(s)], horizon, level,
    windows: Number($('#backtest-windows').value), season: Number($('#backtest-season').value) };
  await busy($('#backtest-run'), 'Backtesting…', async () => {
    try {
      renderBacktest(await request(`/v1/models/${ref}:backtest`, { method: 'POST', json: body }));
    } catch (error) {
      showProblem(box, error);
    }
  });
}

/** One table: the model and the baselines per target (several targets: a group of rows each, best marked within it). */
function renderBacktest(answer) {
  const groups = answer.overall ? [[null, answer.overall]] : Object.entries(answer.overall_by_target || {});
  const all = groups.flatMap(([, overall]) => Object.values(overall));
  const levels = [...new Set(all.flatMap(scores => Object.keys(scores.coverage || {})))];
  const columns = [['mae', 'MAE'], ['rmse', 'RMSE'], ['mape', 'MAPE %'], ['smape', 'sMAPE'], ['mase', 'MASE']];
  const names = { model: `${answer.model} v${answer.version}`, naive: 'naive (last value)', seasonal_naive: `seasonal naive (${answer.season} back)` };
  const head = el('tr', {}, el('th', { scope: 'col', text: groups.length > 1 ? 'target · method' : 'method' }),
      columns.map(([, title]) => el('th', { scope: 'col', text: title })),
      levels.map(l => el('th', { scope: 'col', text: `${l}% coverage` })));
  const rows = groups.flatMap(([target, overall]) => {
    const methods = Object.keys(overall);
    const best = Object.fromEntries(columns.map(([key]) => [key,
      Math.min(...methods.map(m => overall[m][key]).filter(v => v !== null && v !== undefined))]));
    return methods.map(m => {
      const scores = overall[m];
      return el('tr', { class: m === 'model' ? 'highlight' : null },
          el('th', { scope: 'row', text: `${target ? `${target} · ` : ''}${names[m] || m}` }),
          columns.map(([key]) => {
            const isBest = scores[key] === best[key] && methods.length > 1;
            return el('td', { class: `num${isBest ? ' best' : ''}` }, fmt(scores[key]),
                isBest ? el('span', { class: 'sr-only', text: ' (best)' }) : null);
          }),
          levels.map(l => el('td', { class: 'num', text: scores.coverage?.[l] === undefined ? '–' : `${fmt(100 * scores.coverage[l], 0)}%` })));
    });
  });
  $('#backtest-table').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
  const points = groups.reduce((sum, [, overall]) => sum + (overall.model?.points ?? 0), 0);
  $('#backtest-summary').textContent = `${answer.windows} cut-offs, ${answer.horizon} steps each, every ${answer.step} steps;`
      + ` ${points} forecast points scored${groups.length > 1 ? ` over ${groups.length} targets` : ''}.`;
  renderWarnings(answer.warnings);
  $('#backtest-card').hidden = false;
}
