// Small DOM helpers shared by the views.

export const $ = (selector, root = document) => root.querySelector(selector);

/** Creates an element: el('td', {class: 'x', text: 'y'}, child, ...). Text is always set as text, never HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key === 'text') {
      node.textContent = value;
    } else if (key === 'class') {
      node.className = value;
    } else if (key.startsWith('on')) {
      node.addEventListener(key.slice(2), value);
    } else {
      node.setAttribute(key, value === true ? '' : value);
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

/** Replaces a node's children; null, false and nested arrays are allowed, as in el(). */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter(c => c !== null && c !== undefined && c !== false));
  return node;
}

/**
 * Shows an error in a role="alert" box: the problem's status and title, its detail and every field
 * error. Non-API errors (a bug in this page) are shown too, never swallowed.
 */
export function showProblem(box, error) {
  const problem = error && error.problem ? error.problem
      : { title: 'Something went wrong in this page', detail: String(error && error.message || error) };
  const heading = problem.status ? `${problem.status} ${problem.title || ''}`.trim() : problem.title;
  const detail = problem.detail && problem.detail !== problem.title ? problem.detail : '';
  // Field errors the detail already spells out are not repeated.
  const fields = (Array.isArray(problem.errors) ? problem.errors : []).filter(e => !detail.includes(e.message));
  fill(box,
      el('p', { class: 'problem-title', text: heading }),
      detail ? el('p', { class: 'problem-detail', text: detail }) : null,
      fields.length ? el('ul', { class: 'problem-fields' }, fields.map(e => el('li', {}, el('code', { text: e.field }), ` ${e.message}`))) : null);
  box.hidden = false;
  if (!(error && error.problem)) {
    console.error(error);
  }
}

export function clearProblem(box) {
  box.hidden = true;
  box.replaceChildren();
}

/** Disables a button while a promise runs, with a busy label. */
export async function busy(button, label, work) {
  const original = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = label;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = original;
  }
}

/** A number for people: 3 significant digits for small values, thousands separators for big ones. */
export function fmt(value, digits = 3) {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return '–';
  }
  if (typeof value !== 'number') {
    return String(value);
  }
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 0.001 || abs >= 1e7)) {
    return value.toExponential(2);
  }
  return value.toLocaleString('en-US', { maximumFractionDigits: abs >= 100 ? 1 : digits, minimumFractionDigits: 0 });
}

export function badge(state) {
  return el('span', { class: `badge state-${state}`, text: state });
}

/** A tensor shape as people read it: [-1, 24, 1] -> "any × 24 × 1". */
export function shape(dims) {
  if (!dims) {
    return 'unknown';
  }
  return dims.length ? dims.map(d => (d < 0 ? 'any' : d)).join(' × ') : 'scalar';
}

/** Parses a decimal input; blank -> undefined so optional fields stay out of the request. */
export function num(input) {
  const text = input.value.trim();
  return text === '' ? undefined : Number(text);
}

/** A sentence: ends with a full stop unless it already ends with punctuation. */
export function sentence(text) {
  const t = (text || '').trim();
  return !t || /[.!?)]$/.test(t) ? t : `${t}.`;
}

/** Turns "\n" and "\t" typed in a field into the characters. */
export function unescape(text) {
  return text.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
}
