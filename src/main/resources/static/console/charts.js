// Charts with uPlot (served from its WebJar, no CDN). Each chart follows its container's width.
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';

const COLORS = {
  history: '#2563eb',
  forecast: '#ea580c',
  band: level => `rgba(234, 88, 12, ${level >= 90 ? 0.14 : 0.24})`,
  bandEdge: 'rgba(234, 88, 12, 0.35)',
  train: '#2563eb',
  validation: '#db2777',
};

// The live chart objects, for the browser tests and for anyone poking at the page in devtools.
window.seqserveConsole = window.seqserveConsole || { charts: {} };

function mount(name, container, options, data) {
  const old = window.seqserveConsole.charts[name];
  if (old) {
    old.destroy();
    old.resizer?.disconnect();
  }
  container.replaceChildren();
  const width = Math.max(container.clientWidth, 280);
  const chart = new uPlot({ width, height: options.height || 320, ...options }, data, container);
  chart.resizer = new ResizeObserver(() => {
    const w = Math.max(container.clientWidth, 280);
    if (Math.abs(w - chart.width) > 1) {
      chart.setSize({ width: w, height: chart.height });
    }
  });
  chart.resizer.observe(container);
  window.seqserveConsole.charts[name] = chart;
  return chart;
}

/**
 * History, forecast mean and one band per level on one chart.
 * x: history time values (numbers or seconds since the epoch when dates), history: values (null = missing),
 * forecast: the API's {mean, intervals: {"80": {lower, upper}}}.
 */
export function forecastChart(container, { x, dates, history, forecast, label, xLabel, name = 'forecast', height }) {
  const n = history.length;
  const h = forecast.mean.length;
  const step = stepOf(x);
  const xs = [...x, ...Array.from({ length: h }, (_, i) => x[n - 1] + step * (i + 1))];
  const pad = count => Array(count).fill(null);
  const last = history[n - 1];
  // The forecast and its bands start at the last observation, so they visibly continue the history.
  const future = values => [...pad(n - 1), last, ...values];

  const series = [{ label: xLabel || (dates ? 'time' : 'step') },
    { label: label || 'history', stroke: COLORS.history, width: 1.5 },
    { label: 'forecast', stroke: COLORS.forecast, width: 2, dash: [6, 4] }];
  const data = [xs, [...history, ...pad(h)], future(forecast.mean)];
  const bands = [];
  const levels = Object.keys(forecast.intervals || {}).sort((a, b) => Number(b) - Number(a));
  for (const level of levels) {
    const band = forecast.intervals[level];
    const upper = data.length;
    series.push({ label: `${level}% upper`, stroke: COLORS.bandEdge, width: 1 },
        { label: `${level}% lower`, stroke: COLORS.bandEdge, width: 1 });
    data.push(future(band.upper), future(band.lower));
    bands.push({ series: [upper, upper + 1], fill: COLORS.band(Number(level)) });
  }
  const plain = (u, splits) => splits.map(v => (v == null ? '' : v.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 3 })));
  const chart = mount(name, container, {
    ...(height ? { height } : {}),
    scales: { x: { time: Boolean(dates) } },
    series,
    bands,
    axes: [{ grid: { stroke: 'rgba(0,0,0,0.06)' }, values: dates ? undefined : plain },
      { grid: { stroke: 'rgba(0,0,0,0.06)' }, size: 60 }],
    cursor: { drag: { x: true, y: false } },
  }, data);
  // Start on the recent past and the forecast, where the bands are; double-click shows everything.
  const shown = Math.min(n, Math.max(5 * h, 48));
  if (shown < n) {
    chart.setScale('x', { min: xs[n - shown], max: xs[xs.length - 1] });
  }
  return { chart, shown };
}

/** Destroys the charts whose names start with {@code prefix} (a view about to draw others in their place). */
export function dropCharts(prefix) {
  const charts = window.seqserveConsole.charts;
  const seen = new Set();
  for (const name of Object.keys(charts)) {
    if (name.startsWith(prefix)) {
      if (!seen.has(charts[name])) {
        seen.add(charts[name]);
        charts[name].destroy();
        charts[name].resizer?.disconnect();
      }
      delete charts[name];
    }
  }
}

/** Train and validation loss per epoch; append() adds or replaces an epoch's point. */
export function lossChart(container) {
  const data = [[], [], []];
  const chart = mount('loss', container, {
    height: 260,
    scales: { x: { time: false } },
    series: [{ label: 'epoch' },
      { label: 'train loss', stroke: COLORS.train, width: 2, points: { show: true } },
      { label: 'validation loss', stroke: COLORS.validation, width: 2, points: { show: true } }],
    // Whole epochs only on the axis.
    axes: [{ label: 'epoch', grid: { stroke: 'rgba(0,0,0,0.06)' }, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
      { label: 'loss', grid: { stroke: 'rgba(0,0,0,0.06)' }, size: 60 }],
  }, data);
  return {
    append(epoch, train, validation) {
      const i = data[0].indexOf(epoch);
      if (i >= 0) {
        data[1][i] = train;
        data[2][i] = validation;
      } else {
        const at = data[0].findIndex(e => e > epoch);
        const index = at < 0 ? data[0].length : at;
        data[0].splice(index, 0, epoch);
        data[1].splice(index, 0, train);
        data[2].splice(index, 0, validation);
      }
      chart.setData(data.map(column => column.slice()));
    },
  };
}

const VERSION_COLORS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#db2777', '#0891b2'];

/**
 * Accuracy over time: per version its MAE (left axis) and its coverage at {@code level} (right axis, 0..1,
 * dashed). x: bucket starts in seconds; versions: [{version, mae: [...], coverage: [...]}] aligned on x.
 */
export function accuracyChart(container, { x, versions, level }) {
  const series = [{ label: 'time' }];
  const data = [x];
  versions.forEach((v, i) => {
    const color = VERSION_COLORS[i % VERSION_COLORS.length];
    series.push({ label: `v${v.version} MAE`, stroke: color, width: 2, scale: 'error', points: { show: true } },
        { label: `v${v.version} ${level}% coverage`, stroke: color, width: 1.5, dash: [5, 4], scale: 'coverage',
          points: { show: true } });
    data.push(v.mae, v.coverage);
  });
  return mount('accuracy', container, {
    height: 260,
    scales: { x: { time: true }, coverage: { range: [0, 1] } },
    series,
    axes: [{ grid: { stroke: 'rgba(0,0,0,0.06)' } },
      { scale: 'error', label: 'MAE', grid: { stroke: 'rgba(0,0,0,0.06)' }, size: 60 },
      { scale: 'coverage', label: 'coverage', side: 1, grid: { show: false }, size: 50 }],
  }, data);
}

/** The usual spacing of the time axis (median of the last steps), 1 when there is one point. */
function stepOf(x) {
  const steps = [];
  for (let i = Math.max(1, x.length - 12); i < x.length; i++) {
    steps.push(x[i] - x[i - 1]);
  }
  steps.sort((a, b) => a - b);
  return steps.length ? steps[Math.floor(steps.length / 2)] : 1;
}
