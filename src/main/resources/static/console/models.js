// Models view: every version with its state (and why it failed), its signature, manifest and workers,
// and registration by upload.
import { curlFor, request } from './api.js';
import { listModels, modelDetail } from './catalog.js';
import { $, el, badge, busy, clearProblem, fill, fmt, shape, showProblem } from './ui.js';

let context;
let timer = null;
let selected = null;

export function init(ctx) {
  context = ctx;
  $('#models-refresh').addEventListener('click', () => refresh());
  $('#models-auto').addEventListener('change', event => autoRefresh(event.target.checked));
  $('#register-form').addEventListener('submit', register);
}

export function show(params) {
  if (params.model && params.version) {
    selected = `${params.model}/versions/${params.version}`;
  }
  refresh();
  autoRefresh($('#models-auto').checked);
}

export function hide() {
  autoRefresh(false);
}

function autoRefresh(on) {
  clearInterval(timer);
  timer = on ? setInterval(() => refresh(true), 3000) : null;
}

async function refresh(quiet = false) {
  const box = $('#models-error');
  try {
    const models = await listModels();
    renderTable(models, await details(models));
    if (selected && !(quiet && $('#model-detail').contains(document.activeElement))) {
      await showDetail(selected, quiet);
    }
    clearProblem(box);
  } catch (error) {
    showProblem(box, error);
  }
}

/** Every version's details (signature, workers), fetched side by side; a version that vanished meanwhile is skipped. */
async function details(models) {
  const refs = models.flatMap(m => m.versions.map(v => `${m.name}/versions/${v.version}`));
  const answers = await Promise.allSettled(refs.map(ref => modelDetail(ref)));
  return new Map(refs.map((ref, i) => [ref, answers[i].status === 'fulfilled' ? answers[i].value : null]));
}

function signature(d) {
  if (!d || !(d.inputs || []).length) {
    return '–';
  }
  const list = tensors => tensors.map(t => `${t.name} ${shape(t.shape)}`).join(', ');
  return `${list(d.inputs)} → ${list(d.outputs || [])}`;
}

function workers(d) {
  if (!d || !(d.workers || []).length) {
    return '–';
  }
  return d.workers.map(w => `${device(w.device)}: ${w.busy}/${w.workers} busy, ${w.queue_depth} queued`).join('; ');
}

/** DJL names devices "cpu()" and "gpu(0)": shown as cpu and gpu0. */
function device(name) {
  return name.replace(/\((\d*)\)$/, '$1');
}

function renderTable(models, detailsByRef) {
  const rows = [];
  for (const model of models) {
    const modelLabels = Object.entries(model.labels || {});
    for (const v of [...model.versions].sort((a, b) => b.version - a.version)) {
      const ref = `${model.name}/versions/${v.version}`;
      const labels = modelLabels.filter(([, n]) => n === v.version).map(([l]) => el('span', { class: 'tag', text: l }));
      rows.push(el('tr', { 'data-ref': ref, class: ref === selected ? 'selected' : null },
          el('th', { scope: 'row', class: 'mono' }, model.name),
          el('td', { class: 'num', 'data-label': 'version' }, v.version),
          el('td', { 'data-label': 'state' }, badge(v.state)),
          el('td', { 'data-label': 'format' }, v.format || '–'),
          el('td', { 'data-label': 'task' }, v.task || '–'),
          el('td', { class: 'mono small', 'data-label': 'signature', text: signature(detailsByRef.get(ref)) }),
          el('td', { class: 'small', 'data-label': 'workers', text: workers(detailsByRef.get(ref)) }),
          el('td', { 'data-label': 'labels' }, labels.length ? labels : '–'),
          el('td', { class: 'row-actions' }, el('button', {
            type: 'button', class: 'secondary small', 'aria-label': `Details of ${model.name} version ${v.version}`,
            onclick: () => select(ref),
          }, 'Details'))));
      if (v.state === 'failed' && v.error) {
        rows.push(el('tr', { class: 'error-row' }, el('td', { colspan: 9 },
            el('span', { class: 'sr-only', text: `${model.name} version ${v.version} failed: ` }), v.error)));
      }
    }
  }
  // A refresh must not take the keyboard focus away from the row it was on.
  const focused = document.activeElement?.closest('#models-table tr[data-ref]')?.dataset.ref;
  $('#models-table tbody').replaceChildren(...rows);
  $('#models-empty').hidden = rows.length > 0;
  if (focused) {
    $(`#models-table tr[data-ref="${CSS.escape(focused)}"] button`)?.focus();
  }
}

async function select(ref) {
  selected = ref;
  document.querySelectorAll('#models-table tr[data-ref]').forEach(tr => tr.classList.toggle('selected', tr.dataset.ref === ref));
  await showDetail(ref, false);
  $('#model-detail h2').focus();
}

async function showDetail(ref, quiet) {
  const card = $('#model-detail');
  let d;
  try {
    d = await modelDetail(ref);
  } catch (error) {
    if (!quiet) {
      showProblem($('#models-error'), error);
    }
    return;
  }
  const [name, , version] = ref.split('/');
  const dl = (pairs) => el('dl', { class: 'pairs' }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '')
      .flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)]));
  const tensors = (title, list) => el('div', {},
      el('h3', { text: title }),
      list.length ? el('div', { class: 'table-wrap' }, el('table', { class: 'data compact' },
          el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'name' }), el('th', { scope: 'col', text: 'dtype' }),
              el('th', { scope: 'col', text: 'shape' }))),
          el('tbody', {}, list.map(t => el('tr', {}, el('td', { class: 'mono', text: t.name }), el('td', { text: t.dtype }),
              el('td', { class: 'mono', text: shape(t.shape) }))))))
        : el('p', { class: 'muted', text: 'not known yet' }));
  const workers = d.workers && d.workers.length
      ? el('div', { class: 'table-wrap' }, el('table', { class: 'data compact' },
          el('thead', {}, el('tr', {}, ['device', 'workers', 'busy', 'queue depth', 'max batch', 'queue capacity']
              .map(h => el('th', { scope: 'col', text: h })))),
          el('tbody', {}, d.workers.map(w => el('tr', {}, el('td', { text: device(w.device) }), el('td', { class: 'num', text: w.workers }),
              el('td', { class: 'num', text: w.busy }), el('td', { class: 'num', text: w.queue_depth }),
              el('td', { class: 'num', text: w.max_batch_size }), el('td', { class: 'num', text: w.queue_capacity }))))))
      : el('p', { class: 'muted', text: 'no worker pool (the version is not loaded)' });
  const manifest = d.manifest || {};
  const metrics = Object.entries(d.metrics || {});
  const tryIt = [];
  if (d.state === 'available' && d.task === 'forecasting') {
    tryIt.push(el('button', { type: 'button', onclick: () => context.navigate('forecast', { model: name, version }) }, 'Forecast with it'));
  }
  if (d.state === 'available' && d.task === 'text-generation') {
    tryIt.push(el('button', { type: 'button', onclick: () => context.navigate('generate', { model: name, version }) }, 'Generate with it'));
  }
  fill(card,
      el('h2', { tabindex: '-1' }, `${d.name} `, el('span', { class: 'muted', text: `version ${d.version}` }), ' ', badge(d.state)),
      manifest.description ? el('p', { text: manifest.description }) : null,
      d.error ? el('div', { class: 'problem inline', role: 'note' }, el('p', { class: 'problem-title', text: 'Why it failed' }),
          el('p', { class: 'problem-detail', text: d.error })) : null,
      dl([['format', d.format], ['engine', d.engine], ['task', d.task], ['devices', (d.devices || []).map(device).join(', ')],
        ['labels', (d.labels || []).join(', ')], ['loaded in', d.load_time_ms == null ? null : `${fmt(d.load_time_ms)} ms`],
        ['created', d.created_at ? new Date(d.created_at).toLocaleString() : null],
        ['window', manifest.forecasting?.window], ['batching', manifest.batching ? Object.entries(manifest.batching).filter(([, v]) => v !== null)
          .map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`).join(', ') : null]]),
      (d.warnings || []).length ? el('ul', { class: 'warnings' }, d.warnings.map(w => el('li', { text: w }))) : null,
      el('div', { class: 'grid-tensors' }, tensors('Inputs', d.inputs || []), tensors('Outputs', d.outputs || [])),
      el('h3', { text: 'Workers' }), workers,
      metrics.length ? [el('h3', { text: 'Metrics' }), dl(metrics.map(([k, v]) => [k, fmt(v)]))] : null,
      tryIt.length ? el('div', { class: 'actions' }, tryIt) : null,
      callExample(d, name, version));
}

const V2_TYPES = { float32: 'FP32', float64: 'FP64', int32: 'INT32', int64: 'INT64', int8: 'INT8', uint8: 'UINT8', boolean: 'BOOL' };

/** How to call this version from a shell, for its task; null when no small request fits its signature. */
function callExample(d, name, version) {
  if (d.state !== 'available') {
    return null;
  }
  const base = `/v1/models/${name}/versions/${version}`;
  let command = null;
  if (d.task === 'forecasting') {
    const window = d.manifest?.forecasting?.window || 24;
    command = curlFor(`${base}:forecast`, { series: [{ id: 'a', values: Array.from({ length: window }, (_, i) => i + 1) }], horizon: 12, level: [80, 95] });
  } else if (d.task === 'text-generation') {
    command = curlFor(`${base}:generate`, { prompt: 'the ', max_tokens: 50, stream: true }, ' -N');
  } else {
    const inputs = (d.inputs || []).map(t => {
      const dims = (t.shape || []).map(n => (n < 0 ? 1 : n));
      const size = dims.reduce((a, b) => a * b, 1);
      return V2_TYPES[t.dtype] && size <= 64 ? { name: t.name, shape: dims, datatype: V2_TYPES[t.dtype], data: Array(size).fill(0) } : null;
    });
    if (inputs.length && inputs.every(Boolean)) {
      command = curlFor(`/v2/models/${name}/versions/${version}/infer`, { inputs });
    }
  }
  return command ? el('details', {}, el('summary', { text: 'Call it with curl' }), el('pre', { class: 'code', text: command })) : null;
}

async function register(event) {
  event.preventDefault();
  const status = $('#register-status');
  const box = $('#register-error');
  clearProblem(box);
  status.textContent = '';
  const file = $('#register-file').files[0];
  const name = $('#register-name').value.trim();
  if (!name || !file) {
    showProblem(box, { problem: { title: 'Missing input', detail: 'Give a name and choose an archive (.zip or .tar.gz).' } });
    return;
  }
  const body = new FormData();
  body.append('name', name);
  body.append('file', file);
  const manifest = $('#register-manifest').value;
  if (manifest.trim()) {
    body.append('manifest', manifest);
  }
  await busy($('#register-submit'), 'Uploading…', async () => {
    try {
      const v = await request('/v1/models', { method: 'POST', body, write: true });
      status.textContent = `Registered ${v.name} version ${v.version}: ${v.state}.`;
      for (const field of ['#register-name', '#register-file', '#register-manifest']) {
        $(field).value = '';
      }
      selected = `${v.name}/versions/${v.version}`;
      await refresh();
    } catch (error) {
      showProblem(box, error);
    }
  });
}
