// The console's shell: hash routes (#/forecast?model=x&version=2), the tool links and the write token.
import { request, writeToken } from './api.js';
import { $ } from './ui.js';
import * as models from './models.js';
import * as forecast from './forecast.js';
import * as generate from './generate.js';
import * as training from './training.js';

const VIEWS = { models, forecast, generate, training };
let current = null;

/** Goes to a view, e.g. navigate('forecast', {model: 'sunspots', version: 3}). */
export function navigate(view, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null));
  location.hash = `#/${view}${query.size ? `?${query}` : ''}`;
}

function route(focus) {
  const [, name = 'models', query = ''] = location.hash.match(/^#\/([a-z]+)\??(.*)$/) || [];
  const view = VIEWS[name] ? name : 'models';
  const params = Object.fromEntries(new URLSearchParams(query));
  for (const key of Object.keys(VIEWS)) {
    $(`#view-${key}`).hidden = key !== view;
    const link = $(`nav.views a[data-view="${key}"]`);
    if (key === view) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  if (current && current !== view) {
    VIEWS[current].hide?.();
  }
  if (current !== view) {
    window.scrollTo(0, 0);
  }
  current = view;
  document.title = `${$(`#view-${view} h1`).textContent} · seqserve console`;
  VIEWS[view].show(params);
  if (focus) {
    // Keyboard and screen reader users land on the new view's heading, not at the top of the page.
    $(`#view-${view} h1`).focus();
  }
}

/** Every token field shows and sets the same token, so it is typed once per tab. */
function tokenFields() {
  const inputs = document.querySelectorAll('.token-input');
  for (const input of inputs) {
    input.value = writeToken.get();
    input.addEventListener('input', () => {
      writeToken.set(input.value.trim());
      inputs.forEach(other => { if (other !== input) other.value = input.value; });
    });
  }
}

/** What the token fields' hints say, once the server has said whether it wants a token. */
function tokenHints(config) {
  const hint = config.write_token
      ? '(this server requires one for writes)'
      : '(optional; without a configured token, writes are accepted from the server\'s own machine only)';
  document.querySelectorAll('.token-hint').forEach(span => { span.textContent = hint; });
}

async function start() {
  const context = { navigate };
  // The fields work at once: a token typed while the config below is still on its way is not lost.
  tokenFields();
  for (const view of Object.values(VIEWS)) {
    view.init(context);
  }
  let config = { grafana_url: null, write_token: false };
  try {
    config = await request('/console/config');
  } catch (error) {
    console.warn('console config unavailable', error);
  }
  if (config.grafana_url) {
    const link = $('#grafana-link');
    link.href = config.grafana_url;
    link.hidden = false;
  }
  tokenHints(config);
  window.addEventListener('hashchange', () => route(true));
  route(false);
}

start();
