// Training view: upload a data set (POST /v1/datasets), start a job (POST /v1/training-jobs), follow its
// loss curves from GET /v1/training-jobs/{id}/events (EventSource: the stream is a GET), cancel it, and
// open the trained model in Forecast or Generate once it succeeded.
import { request } from './api.js';
import { lossChart } from './charts.js';
import { parseCsv } from './csv.js';
import { $, el, badge, busy, clearProblem, fill, fmt, num, showProblem } from './ui.js';

const DEFAULT_NAMES = { forecasting: 'my-forecaster', 'text-generation': 'my-text-model' };
const FINAL_PHASE = 'train';

let context;
let data = null; // {blob, filename, kind: 'csv'|'text', sample}
let watched = null; // {id, events: EventSource, chart, job}

export function init(ctx) {
  context = ctx;
  $('#training-form').addEventListener('submit', event => {
    event.preventDefault();
    start();
  });
  $('#training-task').addEventListener('change', taskChanged);
  $('#training-sample').addEventListener('change', async event => {
    const url = event.target.value;
    if (url) {
      $('#training-file').value = '';
      try {
        const response = await fetch(url);
        await useData(await response.blob(), url.split('/').pop(), url);
      } catch (error) {
        showProblem($('#training-error'), error);
      }
    }
  });
  $('#training-file').addEventListener('change', event => {
    const file = event.target.files[0];
    if (file) {
      $('#training-sample').value = '';
      useData(file, file.name, null);
    }
  });
  $('#job-cancel').addEventListener('click', cancel);
  $('#jobs-refresh').addEventListener('click', () => listJobs());
  $('#job-open-forecast').addEventListener('click', () => openResult('forecast'));
  $('#job-open-generate').addEventListener('click', () => openResult('generate'));
  $('#job-open-model').addEventListener('click', () => openResult('models'));
}

export async function show(params) {
  if (!(await listJobs())) {
    return;
  }
  if (params.job && params.job !== watched?.id) {
    watch(params.job);
  }
}

function taskChanged() {
  const task = $('#training-task').value;
  const text = task === 'text-generation';
  document.querySelectorAll('#training-form .forecasting-only').forEach(f => { f.hidden = text; });
  document.querySelectorAll('#training-form .text-only').forEach(f => { f.hidden = !text; });
  const name = $('#training-name');
  if (Object.values(DEFAULT_NAMES).includes(name.value)) {
    name.value = DEFAULT_NAMES[task];
  }
  $('#training-column-field').hidden = text || !$('#training-column').options.length;
  $('#training-variables-field').hidden = text || !$('#training-column').options.length;
}

const ROLES = [['', 'not used'], ['target', 'target too'], ['past', 'past covariate'], ['future', 'future covariate']];

/** The other numeric columns with a role each, the time and id column choices, for the chosen CSV. */
function fillVariables(parsed) {
  const target = $('#training-column');
  const rows = parsed.columns.map((c, i) => el('tr', {}, el('th', { scope: 'row', text: c.name }),
      el('td', {}, el('select', { id: `training-role-${i}`, 'data-column': c.name, 'aria-label': `Role of ${c.name}` },
          ROLES.map(([value, text]) => el('option', { value, text }))))));
  $('#training-variables tbody').replaceChildren(...rows);
  $('#training-variables').closest('.table-wrap').hidden = parsed.columns.length < 2;
  const syncTarget = () => {
    document.querySelectorAll('#training-variables select').forEach(select => {
      const own = select.dataset.column === target.value;
      select.closest('tr').hidden = own;
      if (own) {
        select.value = '';
      }
    });
  };
  target.onchange = syncTarget;
  syncTarget();
  const options = (list, none) => [el('option', { value: '', text: none }), ...list.map(n => el('option', { value: n, text: n }))];
  const text = parsed.text.map(c => c.name);
  $('#training-time').replaceChildren(...options(parsed.time ? [parsed.time.name] : text, 'none'));
  $('#training-time').value = parsed.time && !parsed.time.dates ? '' : (parsed.time?.name || '');
  $('#training-id').replaceChildren(...options(text.filter(n => n !== parsed.time?.name), 'none (one series)'));
  document.querySelectorAll('#training-calendar input').forEach(box => { box.checked = false; });
}

/** The dataset and extra fields of a job naming its variables by role; null when the form uses none of them. */
function roles(datasetId) {
  const picked = { target: [], past: [], future: [] };
  document.querySelectorAll('#training-variables select').forEach(select => {
    if (select.value && !select.closest('tr').hidden) {
      picked[select.value].push(select.dataset.column);
    }
  });
  const calendar = [...document.querySelectorAll('#training-calendar input:checked')].map(box => box.value);
  const time = $('#training-time').value || undefined;
  const id = $('#training-id').value || undefined;
  if (!picked.target.length && !picked.past.length && !picked.future.length && !calendar.length && !id) {
    return null;
  }
  return {
    dataset: {
      id: datasetId,
      targets: [$('#training-column').value, ...picked.target],
      past_covariates: picked.past.length ? picked.past : undefined,
      future_covariates: picked.future.length ? picked.future : undefined,
      time_column: calendar.length ? time : undefined,
      id_column: id,
    },
    calendar: calendar.length ? calendar : undefined,
    id_features: id ? true : undefined,
  };
}

async function useData(blob, filename, sample) {
  const csv = /\.csv$/i.test(filename) || blob.type.startsWith('text/csv');
  data = { blob, filename, kind: csv ? 'csv' : 'text', sample };
  const info = $('#training-data-info');
  const select = $('#training-column');
  select.replaceChildren();
  if (csv) {
    try {
      const parsed = parseCsv(await blob.text());
      select.replaceChildren(...parsed.columns.map(c => el('option', { value: c.name, text: c.name })));
      select.value = parsed.columns[parsed.columns.length - 1].name;
      fillVariables(parsed);
      info.textContent = `${filename}: ${parsed.rows} rows; numeric columns ${parsed.columns.map(c => c.name).join(', ')}.`;
    } catch (error) {
      info.textContent = `${filename}: ${error.message}`;
    }
  } else {
    info.textContent = `${filename}: ${fmt(blob.size, 0)} bytes of text.`;
  }
  $('#training-task').value = csv ? 'forecasting' : 'text-generation';
  taskChanged();
}

/** The job body of API.md from the form; the dataset is referred to by the id the upload returned. */
function jobBody(dataset) {
  const task = $('#training-task').value;
  const text = task === 'text-generation';
  const byRole = text ? null : roles(dataset.id);
  return {
    model_name: $('#training-name').value.trim(),
    task,
    dataset: text ? { id: dataset.id } : byRole?.dataset || { id: dataset.id, column: $('#training-column').value || undefined },
    calendar: byRole?.calendar,
    id_features: byRole?.id_features,
    window: text ? undefined : num($('#training-window')),
    horizon: text ? undefined : num($('#training-horizon')),
    season: text ? undefined : num($('#training-season')),
    evaluation_horizon: text ? undefined : num($('#training-evaluation')),
    sequence_length: text ? num($('#training-seq')) : undefined,
    embedding_size: text ? num($('#training-embedding')) : undefined,
    architecture: { cell: $('#training-cell').value, hidden_size: num($('#training-hidden')), layers: num($('#training-layers')) },
    training: { epochs: num($('#training-epochs')), batch_size: num($('#training-batch')), learning_rate: num($('#training-lr')) },
  };
}

async function start() {
  const box = $('#training-error');
  clearProblem(box);
  if (!data) {
    showProblem(box, { problem: { title: 'No data set', detail: 'Choose a sample or upload a CSV or text file first.' } });
    return;
  }
  await busy($('#training-start'), 'Starting…', async () => {
    try {
      const form = new FormData();
      form.append('file', data.blob, data.filename);
      const name = encodeURIComponent(data.filename.replace(/\.[a-z]+$/i, ''));
      const dataset = await request(`/v1/datasets?name=${name}`, { method: 'POST', body: form, write: true });
      $('#training-data-info').textContent = `Uploaded as ${dataset.id}: ${dataset.rows} ${dataset.kind === 'csv' ? 'rows' : 'lines'}`
          + `${dataset.columns ? `, columns ${dataset.columns.map(c => c.name).join(', ')}` : ''}.`;
      const job = await request('/v1/training-jobs', { method: 'POST', json: jobBody(dataset), write: true });
      job.sample = data.sample;
      watch(job.id, job);
      listJobs();
    } catch (error) {
      showProblem(box, error);
    }
  });
}

/** Follows one job: its history (replayed by the stream), each new epoch, and the final status. */
function watch(id, job = null) {
  watched?.events.close();
  const chart = lossChart($('#loss-chart'));
  const events = new EventSource(`/v1/training-jobs/${encodeURIComponent(id)}/events`);
  watched = { id, events, chart, job, sample: job?.sample };
  $('#job-id').textContent = id;
  $('#job-result').hidden = true;
  ['#job-open-forecast', '#job-open-generate', '#job-open-model'].forEach(b => { $(b).hidden = true; });
  renderStatus(job?.status || 'queued');
  $('#job-progress').textContent = 'Waiting for the first epoch…';
  events.addEventListener('progress', event => {
    const p = JSON.parse(event.data);
    if (!p.phase || p.phase === FINAL_PHASE) {
      chart.append(p.epoch, p.train_loss ?? null, p.val_loss ?? null);
    }
    renderStatus('running');
    $('#job-progress').textContent = progressText(p);
  });
  events.addEventListener('trial', event => {
    const t = JSON.parse(event.data);
    const params = Object.entries(t.params).map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`).join(', ');
    $('#job-progress').textContent = `Search trial ${t.index} (${params}) scored ${fmt(t.score, 4)}`;
    renderStatus('running');
  });
  events.addEventListener('status', event => {
    events.close();
    finished(JSON.parse(event.data));
  });
  events.onerror = async () => {
    if (watched?.events !== events) {
      return;
    }
    if (events.readyState === EventSource.CONNECTING) {
      // The browser reconnects by itself; the server replays the history and append() ignores repeats.
      $('#job-progress').textContent = 'The event stream was interrupted; reconnecting…';
      return;
    }
    try {
      finished(await request(`/v1/training-jobs/${encodeURIComponent(id)}`));
    } catch (error) {
      showProblem($('#training-error'), error);
    }
  };
}

function progressText(p) {
  const parts = [`${p.phase && p.phase !== FINAL_PHASE ? `${p.phase}: ` : ''}epoch ${p.epoch} of ${p.epochs}`];
  if (p.train_loss != null) parts.push(`train loss ${fmt(p.train_loss, 4)}`);
  if (p.val_loss != null) parts.push(`validation loss ${fmt(p.val_loss, 4)}${p.best_val_loss != null ? ` (best ${fmt(p.best_val_loss, 4)})` : ''}`);
  if (p.samples_per_second != null) parts.push(`${fmt(p.samples_per_second, 0)} samples/s`);
  if (p.eta_seconds != null) parts.push(`about ${fmt(p.eta_seconds, 0)} s left`);
  return parts.join(' · ');
}

function renderStatus(status) {
  const box = $('#job-status');
  box.replaceWith(Object.assign(badge(status), { id: 'job-status' }));
  $('#job-cancel').hidden = !(status === 'queued' || status === 'running');
}

function finished(job) {
  watched.job = job;
  renderStatus(job.status);
  const last = job.history?.[job.history.length - 1];
  const summary = {
    succeeded: `Succeeded after ${job.history?.length ?? 0} epochs: ${job.result?.model} version ${job.result?.version} is being served.`,
    failed: `Failed: ${job.error || 'no reason given'}`,
    cancelled: `Cancelled${last ? ` after epoch ${last.epoch}` : ''}.`,
  }[job.status] || `Status: ${job.status}`;
  $('#job-progress').textContent = summary;
  if (job.status === 'failed') {
    showProblem($('#training-error'), { problem: { title: 'The training job failed', detail: job.error || 'no reason given' } });
  }
  for (const e of job.history || []) {
    watched.chart.append(e.epoch, e.train_loss, e.val_loss);
  }
  if (job.status === 'succeeded' && job.result) {
    renderMetrics(job.result.metrics || {});
    renderSplits(job.result.splits);
    $('#job-open-forecast').hidden = job.task !== 'forecasting';
    $('#job-open-generate').hidden = job.task !== 'text-generation';
    $('#job-open-model').hidden = false;
  }
  listJobs();
}

/**
 * Scores named <set>_<score> (val_rmse, naive_mae, ...) as one table, a row per set and a column per score,
 * so the model's validation and test errors sit above the baselines'; anything else as plain facts.
 */
function renderMetrics(metrics) {
  const SCORE = /^(.+)_(rmse|mae|mape|smape|mase|perplexity|accuracy)$/;
  const sets = new Map();
  const scores = new Set();
  const facts = [];
  const targets = Object.entries(metrics.targets || {});
  const add = (prefix, key, value) => {
    const m = key.match(SCORE);
    if (m && typeof value === 'number') {
      sets.set(prefix + m[1], { ...sets.get(prefix + m[1]), [m[2]]: value });
      scores.add(m[2]);
      return true;
    }
    return false;
  };
  for (const [key, value] of Object.entries(metrics)) {
    // With several targets their own rows replace the first target's copies at the top level.
    if (key === 'targets' || (targets.length > 1 && key.match(SCORE))) {
      continue;
    }
    if (!add('', key, value)) {
      facts.push([key.replace(/_/g, ' '), value]);
    }
  }
  for (const [target, m] of targets) {
    const prefix = targets.length > 1 ? `${target} · ` : '';
    for (const [key, value] of Object.entries(m)) {
      if (targets.length > 1) {
        add(prefix, key, value);
      }
    }
    const over = m.over_steps;
    if (over && over.steps > 1) {
      for (const [key, value] of Object.entries(over)) {
        add(`${prefix}over ${over.steps} steps: `, key, value);
      }
    }
  }
  const columns = [...scores];
  const base = { val: 'model, validation', test: 'model, test', naive: 'naive', seasonal_naive: 'seasonal naive' };
  const names = new Proxy(base, { get: (o, set) => {
    const cut = set.match(/^(.*?)(val|test|naive|seasonal_naive)$/);
    return cut ? `${cut[1]}${o[cut[2]]}` : undefined;
  } });
  fill($('#job-metrics'), sets.size ? [
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'errors' }), columns.map(c => el('th', { scope: 'col', class: 'num', text: c })))),
    el('tbody', {}, [...sets].map(([set, values]) => el('tr', { class: /(^|: | · )(val|test)$/.test(set) ? 'highlight' : null },
        el('th', { scope: 'row', text: names[set] || set.replace(/_/g, ' ') }),
        columns.map(c => el('td', { class: 'num', text: fmt(values[c], 4) }))))),
  ] : []);
  fill($('#job-facts'), facts.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: typeof v === 'number' ? fmt(v, 4) : String(v) })]));
  $('#job-result').hidden = !sets.size && !facts.length;
}

/**
 * Per part of the data, how many values were real and how many were filled in (gaps are interpolated before
 * training; a job whose parts would be mostly or only filled in is refused).
 */
function renderSplits(splits) {
  const parts = splits ? [['training', splits.train], ['validation', splits.validation], ['test', splits.test]]
      .filter(([, p]) => p && p.steps > 0) : [];
  fill($('#job-splits'), parts.length ? [
    el('caption', { text: 'Data per part: real and filled-in values' }),
    el('thead', {}, el('tr', {}, ['part', 'steps', 'real values', 'filled in'].map((h, i) =>
        el('th', { scope: 'col', class: i ? 'num' : null, text: h })))),
    el('tbody', {}, parts.map(([name, p]) => el('tr', { class: p.real < p.values ? 'highlight' : null },
        el('th', { scope: 'row', text: name }),
        el('td', { class: 'num', text: fmt(p.steps, 0) }),
        el('td', { class: 'num', text: `${fmt(p.real, 0)} of ${fmt(p.values, 0)}` }),
        el('td', { class: 'num', text: fmt(p.values - p.real, 0) })))),
  ] : []);
}

async function cancel() {
  const id = watched?.id;
  if (!id) {
    return;
  }
  await busy($('#job-cancel'), 'Cancelling…', async () => {
    try {
      const job = await request(`/v1/training-jobs/${encodeURIComponent(id)}:cancel`, { method: 'POST', write: true });
      renderStatus(job.status);
    } catch (error) {
      showProblem($('#training-error'), error);
    }
  });
}

function openResult(view) {
  const result = watched?.job?.result;
  if (result) {
    context.navigate(view, { model: result.model, version: result.version, sample: view === 'forecast' ? watched.sample : undefined });
  }
}

/** Renders the job list; false when this server has no training endpoints. */
async function listJobs() {
  try {
    const { jobs } = await request('/v1/training-jobs');
    $('#training-unavailable').hidden = true;
    $('#training-main').hidden = false;
    const rows = jobs.sort((a, b) => (b.created_at || '').localeCompare(a.created_at || '')).map(job => el('tr', {},
        el('th', { scope: 'row', class: 'mono', text: job.id }),
        el('td', { class: 'mono', 'data-label': 'model', text: job.model_name }),
        el('td', { 'data-label': 'task', text: job.task }),
        el('td', { 'data-label': 'status' }, badge(job.status)),
        el('td', { class: 'num', 'data-label': 'epoch', text: job.progress ? `${job.progress.epoch}/${job.progress.epochs}` : '–' }),
        el('td', { class: 'row-actions' }, el('button', {
          type: 'button', class: 'secondary small', 'aria-label': `Watch job ${job.id}`, onclick: () => watch(job.id, job),
        }, 'Watch'))));
    $('#jobs-table tbody').replaceChildren(...rows);
    $('#jobs-empty').hidden = rows.length > 0;
    return true;
  } catch (error) {
    if (error.problem?.status === 404) {
      $('#training-unavailable').hidden = false;
      $('#training-main').hidden = true;
      return false;
    }
    showProblem($('#training-error'), error);
    return true;
  }
}
