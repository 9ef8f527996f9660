// Generate view: :generate with "stream": true, read with fetch + ReadableStream (the endpoint is a POST,
// which EventSource cannot send); each token event is appended as it arrives; Stop aborts the request,
// which the server notices and stops decoding.
import { ApiError, curlFor, open, serverSentEvents } from './api.js';
import { fillModelSelect, modelDetail } from './catalog.js';
import { $, clearProblem, fmt, num, sentence, showProblem, unescape } from './ui.js';

let controller = null;

export function init() {
  $('#generate-form').addEventListener('submit', event => {
    event.preventDefault();
    generate();
  });
  $('#generate-stop-button').addEventListener('click', () => controller?.abort());
  $('#generate-model').addEventListener('change', describeModel);
}

export async function show(params) {
  try {
    await fillModelSelect($('#generate-model'), 'text-generation', params);
  } catch (error) {
    showProblem($('#generate-error'), error);
  }
  await describeModel();
}

export function hide() {
  controller?.abort();
}

async function describeModel() {
  const info = $('#generate-model-info');
  const ref = $('#generate-model').value;
  if (!ref) {
    info.textContent = 'Load a text model (task: text-generation in its seqserve.yaml) or train one in Training.';
    return;
  }
  try {
    const d = await modelDetail(ref);
    const t = d.manifest?.text_generation || {};
    const tokens = [t.level ? `${t.level[0].toUpperCase()}${t.level.slice(1)}-level` : null,
      t.vocabulary ? `${t.vocabulary.length} tokens` : null, t.lowercase ? 'lowercased' : null].filter(Boolean).join(', ');
    info.textContent = [sentence(d.manifest?.description), sentence(tokens)].filter(Boolean).join(' ');
  } catch (error) {
    showProblem($('#generate-error'), error);
  }
}

function body() {
  const stop = $('#generate-stop').value;
  return {
    prompt: $('#generate-prompt').value,
    max_tokens: num($('#generate-max-tokens')),
    temperature: num($('#generate-temperature')),
    top_k: num($('#generate-top-k')),
    top_p: num($('#generate-top-p')),
    repetition_penalty: num($('#generate-repetition')),
    seed: num($('#generate-seed')),
    stop: stop ? [unescape(stop)] : undefined,
    stream: true,
  };
}

async function generate() {
  const box = $('#generate-error');
  const status = $('#generate-status');
  const output = $('#generate-output');
  const ref = $('#generate-model').value;
  clearProblem(box);
  if (!ref) {
    showProblem(box, { problem: { title: 'No model', detail: 'Choose a text generation model first.' } });
    return;
  }
  const request = body();
  const path = `/v1/models/${ref}:generate`;
  $('#generate-curl').textContent = curlFor(path, request, ' -N');
  $('#generate-curl-box').hidden = false;
  $('#generate-echo').textContent = request.prompt;
  output.textContent = '';
  controller = new AbortController();
  running(true);
  status.textContent = 'Waiting for the first token…';
  const started = performance.now();
  let tokens = 0;
  let finish = null;
  try {
    const response = await open(path, { method: 'POST', json: request, signal: controller.signal, accept: 'text/event-stream' });
    for await (const { data } of serverSentEvents(response)) {
      if (data === '[DONE]') {
        break;
      }
      const event = JSON.parse(data);
      if (event.token !== undefined) {
        output.append(event.token);
        tokens++;
        status.textContent = `Streaming… ${tokens} tokens`;
      } else if (event.finish_reason) {
        finish = event;
      } else if (event.error) {
        throw new ApiError(event.error);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    status.textContent = finish
        ? `Finished (${finish.finish_reason}): ${finish.usage.completion_tokens} tokens in ${fmt(seconds, 1)} s, `
          + `${fmt(finish.usage.completion_tokens / seconds, 0)} tokens/s.`
        : `The stream ended after ${tokens} tokens without a finish event.`;
  } catch (error) {
    if (error.name === 'AbortError') {
      status.textContent = `Stopped after ${tokens} tokens.`;
    } else {
      status.textContent = tokens ? `Failed after ${tokens} tokens.` : '';
      showProblem(box, error);
    }
  } finally {
    running(false);
    controller = null;
  }
}

function running(on) {
  const stopHadFocus = document.activeElement === $('#generate-stop-button');
  $('#generate-run').disabled = on;
  $('#generate-stop-button').disabled = !on;
  $('#generate-caret').hidden = !on;
  $('#generate-output-box').setAttribute('aria-busy', String(on));
  if (!on && stopHadFocus) {
    $('#generate-run').focus();
  }
}
