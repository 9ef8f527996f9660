// The forecast view's accuracy card: GET /v1/models/{name}/accuracy drawn as error and coverage over time per
// version, and a table of each version's scores over the window. Hidden while nothing has been scored.
import { request } from './api.js';
import { accuracyChart, dropCharts } from './charts.js';
import { $, el, fill, fmt } from './ui.js';

let shown = null;

/** Shows the model's accuracy (or hides the card when it has none); never fails the view. */
export async function showAccuracy(name) {
  shown = name;
  let report;
  try {
    report = await request(`/v1/models/${encodeURIComponent(name)}/accuracy?window=24h`);
  } catch (error) {
    report = null; // no history kept that long, or the model is gone: nothing to show
  }
  if (shown !== name) {
    return; // another model was picked meanwhile
  }
  const scored = (report?.versions || []).filter(v => v.targets.some(t => t.window.points > 0));
  $('#accuracy-card').hidden = scored.length === 0;
  if (!scored.length) {
    dropCharts('accuracy');
    return;
  }
  const level = String(report.levels.includes(80) ? 80 : report.levels[0]);
  const starts = [...new Set(scored.flatMap(v => v.targets[0].over_time.map(b => Date.parse(b.start) / 1000)))]
      .sort((a, b) => a - b);
  const versions = scored.map(v => {
    const byStart = new Map(v.targets[0].over_time.map(b => [Date.parse(b.start) / 1000, b]));
    return {
      version: v.version,
      mae: starts.map(s => byStart.get(s)?.mae ?? null),
      coverage: starts.map(s => byStart.get(s)?.coverage?.[level] ?? null),
    };
  });
  accuracyChart($('#accuracy-chart'), { x: starts, versions, level });
  const routing = report.routing || {};
  const a = report.actuals;
  $('#accuracy-summary').textContent = `${name}: production version ${routing.production ?? '–'}`
      + (routing.canary ? `, canary ${routing.canary} (${fmt(routing.canary_weight * 100, 0)} % of series)` : '')
      + (routing.shadow ? `, shadow ${routing.shadow}` : '')
      + `. Actuals: ${a.matched} matched, ${a.duplicate} duplicate, ${a.late} late, ${a.unmatched} unmatched.`;
  const levels = report.levels.map(String);
  fill($('#accuracy-table'),
      el('thead', {}, el('tr', {}, ['version', 'target', 'points', 'MAE', 'RMSE', 'MASE',
        ...levels.map(l => `${l}% coverage`)].map(h => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, scored.flatMap(v => v.targets.map(t => el('tr', { 'data-version': v.version },
          el('td', { text: `${v.version}${v.labels.length ? ` (${v.labels.join(', ')})` : ''}` }),
          el('td', { text: t.target }),
          el('td', { text: t.window.points }),
          el('td', { text: fmt(t.window.mae) }),
          el('td', { text: fmt(t.window.rmse) }),
          el('td', { text: fmt(t.window.mase) }),
          levels.map(l => el('td', { text: t.window.coverage?.[l] == null ? '–' : `${fmt(t.window.coverage[l] * 100, 1)} %` })))))));
}
