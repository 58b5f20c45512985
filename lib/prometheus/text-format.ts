/**
 * Parsing Prometheus' text exposition format (version 0.0.4), as sidecars serve it on
 * `/stats/prometheus`: one sample per line, `name{label="value",...} value [timestamp]`, with
 * `# TYPE` and `# HELP` comments. Histogram lines stay separate samples (`_bucket` with `le`,
 * `_sum`, `_count`); callers group them as they need.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export class TextFormatError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'TextFormatError';
  }
}

const namePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

/**
 * Prometheus parses values with Go's ParseFloat, which takes NaN and Inf in any case: prom-client
 * (the dashboard's own /metrics) writes `Nan`.
 */
function parseValue(text: string): number {
  const special = text.toLowerCase();
  if (special === '+inf' || special === 'inf') return Number.POSITIVE_INFINITY;
  if (special === '-inf') return Number.NEGATIVE_INFINITY;
  if (special === 'nan') return Number.NaN;
  return Number(text);
}

/** Parse `{a="x",b="y\"z"}` starting at `start` (the `{`); returns the labels and the index after `}`. */
function parseLabels(
  line: string,
  start: number,
  lineNumber: number,
): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let index = start + 1;
  for (;;) {
    while (line[index] === ' ' || line[index] === ',') index += 1;
    if (line[index] === '}') return { labels, end: index + 1 };
    const nameMatch = namePattern.exec(line.slice(index));
    if (!nameMatch) throw new TextFormatError('expected a label name', lineNumber);
    const name = nameMatch[0];
    index += name.length;
    if (line[index] !== '=' || line[index + 1] !== '"')
      throw new TextFormatError(`expected ="..." after label ${name}`, lineNumber);
    index += 2;
    let value = '';
    for (;;) {
      const character = line[index];
      if (character === undefined)
        throw new TextFormatError(`unterminated value of label ${name}`, lineNumber);
      if (character === '"') break;
      if (character === '\\') {
        const escaped = line[index + 1];
        value += escaped === 'n' ? '\n' : (escaped ?? '');
        index += 2;
        continue;
      }
      value += character;
      index += 1;
    }
    labels[name] = value;
    index += 1;
  }
}

export function parseTextFormat(text: string): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split('\n');
  for (let lineIndex = 0; lineIndex < lines.length; lineIndex += 1) {
    const line = (lines[lineIndex] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const nameMatch = namePattern.exec(line);
    if (!nameMatch) throw new TextFormatError('expected a metric name', lineIndex + 1);
    const name = nameMatch[0];
    let index = name.length;
    let labels: Record<string, string> = {};
    if (line[index] === '{') {
      const parsed = parseLabels(line, index, lineIndex + 1);
      labels = parsed.labels;
      index = parsed.end;
    }
    const [valueText] = line.slice(index).trim().split(/\s+/);
    if (!valueText) throw new TextFormatError(`no value for ${name}`, lineIndex + 1);
    const value = parseValue(valueText);
    if (Number.isNaN(value) && valueText.toLowerCase() !== 'nan')
      throw new TextFormatError(`invalid value ${valueText}`, lineIndex + 1);
    samples.push({ name, labels, value });
  }
  return samples;
}
