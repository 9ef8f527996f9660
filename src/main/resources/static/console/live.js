// Live view: a live forecasting session fed a sample series point by point (POST /v1/models/{ref}/sessions,
// then POST /v1/sessions/{id}:observe per point); the chart redraws the history, the forecast and its bands
// after every answer. Stop (or leaving the view) ends the session (DELETE /v1/sessions/{id}).
import { curlFor, request } from './api.js';
import { fillModelSelect } from './catalog.js';
import { forecastChart } from './charts.js';
import { parseCsv } from './csv.js';
import { $, el, clearProblem, fill, fmt, showProblem } from './ui.js';

let run = null;

export function init() {
  $('#live-form').addEventListener('submit', event => {
    event.preventDefault();
    start();
  });
  $('#live-stop').addEventListener('click', () => stop('Stopped.'));
}

export async function show(params) {
  try {
    await fillModelSelect($('#live-model'), 'forecasting', params);
  } catch (error) {
    showProblem($('#live-error'), error);
  }
  if (params.sample && $(`#live-sample option[value="${CSS.escape(params.sample)}"]`)) {
    $('#live-sample').value = params.sample;
  }
  for (const [key, field] of [['rate', '#live-rate'], ['warmup', '#live-warmup'], ['horizon', '#live-horizon']]) {
    if (params[key]) {
      $(field).value = params[key];
    }
  }
  if (params.start && !run) {
    start();
  }
}

export function hide() {
  stop('Stopped when you left the view.');
}

async function start() {
  stop();
  clearProblem($('#live-error'));
  const ref = $('#live-model').value;
  if (!ref) {
    showProblem($('#live-error'), new Error('Load a forecasting model first.'));
    return;
  }
  let series;
  try {
    const parsed = parseCsv(await request($('#live-sample').value, { accept: 'text/csv' }));
    const column = parsed.columns[parsed.columns.length - 1];
    series = { x: parsed.time ? parsed.time.values : column.values.map((_, i) => i), dates: parsed.time?.dates,
      xLabel: parsed.time?.name, label: column.name, values: column.values.map(v => (v === null ? 0 : v)) };
  } catch (error) {
    showProblem($('#live-error'), error);
    return;
  }
  const warmup = Math.min(Math.max(0, Number($('#live-warmup').value) || 0), series.values.length - 1);
  const levels = $('#live-levels').value.split(',').map(s => s.trim()).filter(Boolean).map(Number);
  const body = { horizon: Number($('#live-horizon').value) || 1, level: levels };
  if (warmup > 0) {
    body.history = series.values.slice(0, warmup);
  }
  const me = { ref, series, next: warmup, timer: null, session: null };
  run = me;
  $('#live-start').disabled = true;
  $('#live-stop').disabled = false;
  try {
    me.session = await request(`/v1/models/${ref}/sessions`, { method: 'POST', json: body });
  } catch (error) {
    if (run === me) {
      stop();
    }
    showProblem($('#live-error'), error);
    return;
  }
  draw(me, me.session);
  $('#live-curl').textContent = curlFor(`/v1/sessions/${me.session.id}:observe`, { observations: [series.values[warmup] ?? 0] });
  $('#live-curl-box').hidden = false;
  schedule(me);
}

function schedule(me) {
  const rate = Math.min(50, Math.max(1, Number($('#live-rate').value) || 5));
  me.timer = setTimeout(() => step(me), 1000 / rate);
}

async function step(me) {
  if (run !== me) {
    return;
  }
  if (me.next >= me.series.values.length) {
    stop(`The sample ended after ${me.next} points; the session is closed.`);
    return;
  }
  const value = me.series.values[me.next];
  try {
    const answer = await request(`/v1/sessions/${me.session.id}:observe`, { method: 'POST', json: { observations: [value] } });
    if (run !== me) {
      return;
    }
    me.next++;
    draw(me, answer);
    schedule(me);
  } catch (error) {
    if (run === me) {
      stop();
      showProblem($('#live-error'), error);
    }
  }
}

function draw(me, session) {
  const seen = me.next;
  const status = `Session ${session.id} on ${session.model} v${session.version}: ${session.observations} observations, `
      + (session.stateful ? 'one step of the model per point (its state stays on the server).'
        : 'the window stays on the server.');
  $('#live-status').textContent = status;
  fill($('#live-warnings'), (session.warnings || []).map(w => el('li', { text: w })));
  if (!session.forecast || seen < 1) {
    return;
  }
  const mean = session.forecast.mean;
  forecastChart($('#live-chart'), {
    name: 'live',
    x: me.series.x.slice(0, seen),
    dates: me.series.dates,
    history: me.series.values.slice(0, seen),
    forecast: session.forecast,
    label: me.series.label,
    xLabel: me.series.xLabel,
  });
  $('#live-chart').dataset.observations = String(session.observations);
  $('#live-chart').title = `next: ${mean.map(v => fmt(v)).join(', ')}`;
}

function stop(message) {
  const me = run;
  run = null;
  $('#live-start').disabled = false;
  $('#live-stop').disabled = true;
  if (!me) {
    return;
  }
  clearTimeout(me.timer);
  if (me.session) {
    request(`/v1/sessions/${me.session.id}`, { method: 'DELETE' }).catch(() => {});
  }
  if (message) {
    $('#live-status').textContent = `${message} ${$('#live-status').textContent}`;
  }
}
