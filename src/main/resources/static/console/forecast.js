// Forecast view: a series from a sample, a file or the clipboard; :forecast drawn as history, mean and
// interval bands on one chart; :backtest as a table of the model against the naive baselines.
import { curlFor, request } from './api.js';
import { fillModelSelect, modelDetail } from './catalog.js';
import { forecastChart } from './charts.js';
import { parseCsv } from './csv.js';
import { $, el, busy, clearProblem, fmt, sentence, showProblem } from './ui.js';

let parsed = null;
let parseError = null;
let firstShow = true;

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
    if (option.value && Object.keys((await modelDetail(option.value)).manifest?.forecasting?.residuals || {}).length) {
      $('#forecast-model').value = option.value;
      return;
    }
  }
}

async function describeModel() {
  const info = $('#forecast-model-info');
  const ref = $('#forecast-model').value;
  info.textContent = '';
  if (!ref) {
    info.textContent = 'Load a forecasting model (task: forecasting in its seqserve.yaml) or train one in Training.';
    return;
  }
  let d;
  try {
    d = await modelDetail(ref);
  } catch (error) {
    showProblem($('#forecast-error'), error);
    return;
  }
  const f = d.manifest?.forecasting || {};
  const steps = Object.keys(f.residuals || {}).length;
  info.textContent = [sentence(d.manifest?.description),
    f.window ? `Reads the last ${f.window} values.` : null,
    steps ? `Intervals calibrated for ${steps} step${steps > 1 ? 's' : ''} ahead.` : 'No stored residuals: no intervals.']
      .filter(Boolean).join(' ');
}

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
  $('#forecast-column-field').hidden = columns.length < 2;
  describeSeries(source);
}

function describeSeries(source) {
  const info = $('#forecast-csv-info');
  if (parseError) {
    info.textContent = parseError;
    return;
  }
  const s = series();
  if (!s) {
    info.textContent = '';
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

/** The chosen column with its time axis (seconds for dates), or null. */
function series() {
  if (!parsed) {
    return null;
  }
  const column = parsed.columns.find(c => c.name === $('#forecast-column').value) || parsed.columns[0];
  const x = parsed.time
      ? parsed.time.values.map(v => (parsed.time.dates ? v / 1000 : v))
      : column.values.map((_, i) => i + 1);
  return { name: column.name, values: column.values, x, dates: Boolean(parsed.time?.dates) };
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
  const body = { series: [{ id: s.name, values: s.values }], horizon, level };
  const path = `/v1/models/${ref}:forecast`;
  const status = $('#forecast-status');
  status.textContent = 'Forecasting…';
  await busy($('#forecast-run'), 'Forecasting…', async () => {
    try {
      const started = performance.now();
      const answer = await request(path, { method: 'POST', json: body });
      const result = answer.forecasts[0];
      const ms = performance.now() - started;
      const { shown } = forecastChart($('#forecast-chart'), { x: s.x, dates: s.dates, history: s.values, forecast: result,
        label: s.name, xLabel: parsed.time?.name });
      status.textContent = `${answer.model} version ${answer.version}: ${result.mean.length} steps ahead of ${s.values.length} values`
          + ` in ${fmt(ms, 0)} ms.${shown < s.values.length ? ` Showing the last ${shown}: drag to zoom, double-click for all.` : ''}`;
      renderWarnings(answer.warnings);
      renderValues(s, result);
      $('#forecast-curl').textContent = curlFor(path, { ...body, series: [{ id: s.name, values: ['…'] }] });
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

function renderValues(s, result) {
  const levels = Object.keys(result.intervals || {}).sort((a, b) => Number(a) - Number(b));
  const step = s.x.length > 1 ? s.x[s.x.length - 1] - s.x[s.x.length - 2] : 1;
  const head = el('tr', {}, el('th', { scope: 'col', text: s.dates ? 'time' : (parsed.time?.name || 'step') }),
      el('th', { scope: 'col', text: 'mean' }),
      levels.map(l => [el('th', { scope: 'col', text: `${l}% lower` }), el('th', { scope: 'col', text: `${l}% upper` })]));
  const rows = result.mean.map((mean, i) => {
    const x = s.x[s.x.length - 1] + step * (i + 1);
    return el('tr', {}, el('th', { scope: 'row', text: s.dates ? new Date(x * 1000).toISOString().slice(0, 10) : plain(x) }),
        el('td', { class: 'num', text: fmt(mean) }),
        levels.map(l => [el('td', { class: 'num', text: fmt(result.intervals[l].lower[i]) }),
          el('td', { class: 'num', text: fmt(result.intervals[l].upper[i]) })]));
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
  const body = { series: [{ id: s.name, values: s.values }], horizon, level,
    windows: Number($('#backtest-windows').value), season: Number($('#backtest-season').value) };
  await busy($('#backtest-run'), 'Backtesting…', async () => {
    try {
      renderBacktest(await request(`/v1/models/${ref}:backtest`, { method: 'POST', json: body }));
    } catch (error) {
      showProblem(box, error);
    }
  });
}

function renderBacktest(answer) {
  const methods = Object.keys(answer.overall);
  const levels = [...new Set(methods.flatMap(m => Object.keys(answer.overall[m].coverage || {})))];
  const columns = [['mae', 'MAE'], ['rmse', 'RMSE'], ['mape', 'MAPE %'], ['smape', 'sMAPE'], ['mase', 'MASE']];
  const best = Object.fromEntries(columns.map(([key]) => [key,
    Math.min(...methods.map(m => answer.overall[m][key]).filter(v => v !== null && v !== undefined))]));
  const names = { model: `${answer.model} v${answer.version}`, naive: 'naive (last value)', seasonal_naive: `seasonal naive (${answer.season} back)` };
  const head = el('tr', {}, el('th', { scope: 'col', text: 'method' }),
      columns.map(([, title]) => el('th', { scope: 'col', text: title })),
      levels.map(l => el('th', { scope: 'col', text: `${l}% coverage` })));
  const rows = methods.map(m => {
    const scores = answer.overall[m];
    return el('tr', { class: m === 'model' ? 'highlight' : null }, el('th', { scope: 'row', text: names[m] || m }),
        columns.map(([key]) => {
          const isBest = scores[key] === best[key] && methods.length > 1;
          return el('td', { class: `num${isBest ? ' best' : ''}` }, fmt(scores[key]),
              isBest ? el('span', { class: 'sr-only', text: ' (best)' }) : null);
        }),
        levels.map(l => el('td', { class: 'num', text: scores.coverage?.[l] === undefined ? '–' : `${fmt(100 * scores.coverage[l], 0)}%` })));
  });
  $('#backtest-table').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
  $('#backtest-summary').textContent = `${answer.windows} cut-offs, ${answer.horizon} steps each, every ${answer.step} steps;`
      + ` ${answer.overall.model?.points ?? 0} forecast points scored.`;
  renderWarnings(answer.warnings);
  $('#backtest-card').hidden = false;
}
