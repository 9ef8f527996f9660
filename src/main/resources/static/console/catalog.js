// The models the server has, as the views need them: the list, one version's details, and the
// available versions of a task as <select> options.
import { request } from './api.js';
import { el } from './ui.js';

export async function listModels() {
  return (await request('/v1/models')).models || [];
}

/** One version's details; ref is name, name/versions/n or name/labels/l. */
export function modelDetail(ref) {
  return request(`/v1/models/${ref}`);
}

/**
 * Fills a <select> with the available versions whose task is `task` (newest first, one option per
 * version, value "name/versions/n"), keeping the current choice, else choosing `preferred`
 * ({model, version}) or the first. Returns the number of options.
 */
export async function fillModelSelect(select, task, preferred = {}) {
  const models = await listModels();
  const current = select.value;
  const options = [];
  for (const model of models) {
    const modelLabels = Object.entries(model.labels || {});
    for (const v of [...model.versions].sort((a, b) => b.version - a.version)) {
      if (v.state === 'available' && v.task === task) {
        const labels = modelLabels.filter(([, n]) => n === v.version).map(([l]) => l);
        const text = `${model.name} · v${v.version}${labels.length ? ` (${labels.join(', ')})` : ''}`;
        options.push(el('option', { value: `${model.name}/versions/${v.version}`, text }));
      }
    }
  }
  select.replaceChildren(...options);
  if (!options.length) {
    select.append(el('option', { value: '', text: `no available ${task} model` }));
  }
  const wanted = preferred.model
      ? options.find(o => o.value === `${preferred.model}/versions/${preferred.version}`)
        || options.find(o => o.value.startsWith(`${preferred.model}/versions/`))
      : options.find(o => o.value === current);
  if (wanted) {
    select.value = wanted.value;
  }
  return options.length;
}
