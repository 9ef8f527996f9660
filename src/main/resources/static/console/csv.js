// Reads a pasted or uploaded CSV into columns the forecast view can send: a header row is optional, empty
// cells are missing values (null), and an increasing first column (years, dates) becomes the time axis.

function splitLine(line, delimiter) {
  const cells = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += c;
    }
  }
  cells.push(cell.trim());
  return cells;
}

const isNumber = text => text !== '' && Number.isFinite(Number(text));

function delimiterOf(line) {
  for (const d of [',', ';', '\t']) {
    if (line.includes(d)) {
      return d;
    }
  }
  return ',';
}

/**
 * Parses CSV text. Returns {columns: [{name, values}], time: {name, values, cells} | null, rows, names, text}
 * where numeric columns hold numbers or null, time (if any) holds numbers (years) or epoch milliseconds (dates)
 * and its cells as written, names lists every column and text the columns that are not numeric ({name, cells}:
 * ids, timestamps). Throws an Error with a readable message when there is nothing numeric to forecast.
 */
export function parseCsv(text) {
  const lines = text.split(/\r?\n/).filter(line => line.trim() !== '');
  if (!lines.length) {
    throw new Error('The series is empty: paste numbers, one per line, or CSV with a header.');
  }
  const delimiter = delimiterOf(lines[0]);
  let rows = lines.map(line => splitLine(line, delimiter));
  const hasHeader = rows[0].some(cell => cell !== '' && !isNumber(cell)) && rows.length > 1;
  const width = Math.max(...rows.map(r => r.length));
  const names = hasHeader ? rows[0] : Array.from({ length: width }, (_, i) => (width === 1 ? 'value' : `column ${i + 1}`));
  if (hasHeader) {
    rows = rows.slice(1);
  }
  const raw = names.map((name, i) => ({ name: name || `column ${i + 1}`, cells: rows.map(r => r[i] ?? '') }));

  const time = raw.length > 1 ? timeColumn(raw[0]) : null;
  const columns = raw
      .filter((column, i) => !(time && i === 0))
      .filter(column => column.cells.some(isNumber) && column.cells.every(c => c === '' || isNumber(c)))
      .map(column => ({ name: column.name, values: column.cells.map(c => (c === '' ? null : Number(c))) }));
  if (!columns.length) {
    throw new Error('No numeric column found: every value of a column must be a number or empty.');
  }
  const numeric = new Set(columns.map(c => c.name));
  const textColumns = raw.filter(column => !numeric.has(column.name)).map(column => ({ name: column.name, cells: column.cells }));
  return { columns, time, rows: rows.length, names: raw.map(c => c.name), text: textColumns };
}

/** The first column as a time axis when it strictly increases: numbers as they are, dates as timestamps. */
function timeColumn(column) {
  if (!column || column.cells.some(c => c === '')) {
    return null;
  }
  let values;
  if (column.cells.every(isNumber)) {
    values = column.cells.map(Number);
  } else {
    values = column.cells.map(c => (/^\d{4}-\d{2}(-\d{2})?([T ].*)?$/.test(c) ? Date.parse(c) : NaN));
    if (values.some(Number.isNaN)) {
      return null;
    }
  }
  for (let i = 1; i < values.length; i++) {
    if (!(values[i] > values[i - 1])) {
      return null;
    }
  }
  const dates = !column.cells.every(isNumber);
  return { name: column.name, values, dates, cells: column.cells };
}
