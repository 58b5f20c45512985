/**
 * Renders deploy/helm/meshscope the way `helm template` does, for the small subset of Go templates
 * the chart uses (Helm is not installable on these machines: not in Debian, no other registry).
 * Anything outside the subset is an error, never a silent guess:
 *
 *   {{ .Values.a.b }}  {{ .Release.Name }}  {{ .Release.Namespace }}  {{ .Release.Service }}
 *   {{ .Chart.Name }}  {{ .Chart.Version }}  {{ .Chart.AppVersion }}   "string" and number literals
 *   pipelines with quote, toYaml, indent N, nindent N; eq A B; not A
 *   {{ if PIPELINE }} ... {{ else }} ... {{ end }}   {{/* comments *\/}}   {{- and -}} trimming
 *
 * Output as Helm prints it: every non-empty document as `---\n# Source: CHART/templates/FILE\n...`,
 * ordered by Helm's install order of kinds (then by file). Values are the chart's values.yaml
 * deep-merged with overrides, as `helm template -f` merges them; a missing value is an error.
 *
 *   npm exec -- tsx deploy/render.ts > deploy/manifests/meshscope.yaml
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

export const CHART_DIR = fileURLToPath(new URL('./helm/meshscope/', import.meta.url));
export const RENDERED_MANIFEST = fileURLToPath(new URL('./manifests/meshscope.yaml', import.meta.url));

/** The release `deploy/manifests/meshscope.yaml` is rendered for. */
export const DEFAULT_RELEASE = { name: 'meshscope', namespace: 'meshscope' };

export class TemplateError extends Error {}

type Value = unknown;
type Node =
  | { type: 'text'; text: string }
  | { type: 'output'; pipeline: string }
  | { type: 'if'; pipeline: string; whenTrue: Node[]; whenFalse: Node[] };

interface Scope {
  Values: Value;
  Release: { Name: string; Namespace: string; Service: string };
  Chart: { Name: string; Version: string; AppVersion: string };
}

/** Splits a template into text and actions, applying `{{-` and `-}}` trimming as Go does. */
function lex(source: string, file: string): ({ text: string } | { action: string })[] {
  const parts: ({ text: string } | { action: string })[] = [];
  let index = 0;
  let trimNext = false;
  while (index < source.length) {
    const open = source.indexOf('{{', index);
    let text = source.slice(index, open < 0 ? source.length : open);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (open < 0) {
      parts.push({ text });
      break;
    }
    const close = source.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError(`${file}: unclosed action`);
    let action = source.slice(open + 2, close);
    if (/^- /.test(action)) {
      text = text.replace(/\s+$/, '');
      action = action.slice(2);
    }
    trimNext = / -$/.test(action);
    if (trimNext) action = action.slice(0, -2);
    parts.push({ text }, { action: action.trim() });
    index = close + 2;
  }
  return parts;
}

function parseTemplate(source: string, file: string): Node[] {
  const root: Node[] = [];
  const stack: { node: Extract<Node, { type: 'if' }>; inElse: boolean }[] = [];
  const current = (): Node[] => {
    const top = stack.at(-1);
    if (!top) return root;
    return top.inElse ? top.node.whenFalse : top.node.whenTrue;
  };
  for (const part of lex(source, file)) {
    if ('text' in part) {
      if (part.text) current().push({ type: 'text', text: part.text });
      continue;
    }
    const action = part.action;
    if (action.startsWith('/*') && action.endsWith('*/')) continue;
    if (action.startsWith('if ')) {
      const node: Extract<Node, { type: 'if' }> = {
        type: 'if',
        pipeline: action.slice(3).trim(),
        whenTrue: [],
        whenFalse: [],
      };
      current().push(node);
      stack.push({ node, inElse: false });
    } else if (action === 'else') {
      const top = stack.at(-1);
      if (!top || top.inElse) throw new TemplateError(`${file}: else without if`);
      top.inElse = true;
    } else if (action === 'end') {
      if (!stack.pop()) throw new TemplateError(`${file}: end without if`);
    } else if (
      /^(range|with|define|template|include|block|else if)\b/.test(action) ||
      action.includes(':=')
    ) {
      throw new TemplateError(`${file}: "{{ ${action} }}" is outside the subset this renderer knows`);
    } else {
      current().push({ type: 'output', pipeline: action });
    }
  }
  if (stack.length > 0) throw new TemplateError(`${file}: if without end`);
  return root;
}

/** Words of a command: quoted strings kept whole. */
function words(command: string, file: string): string[] {
  const found = command.match(/"(?:[^"\\]|\\.)*"|[^\s"]+/g) ?? [];
  if (found.join('').length !== command.replace(/\s+/g, '').length) {
    throw new TemplateError(`${file}: cannot read "${command}"`);
  }
  return found;
}

/** Go's %v of a scalar, as `{{ value }}` prints it. */
function print(value: Value, file: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  throw new TemplateError(`${file}: cannot print ${JSON.stringify(value)} without toYaml`);
}

/** Go templates' truth: false, 0, nil and empty strings, lists and maps are false. */
function truthy(value: Value): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** Helm's toYaml: sorted keys (Go maps marshal sorted), unindented sequences, no final newline. */
export function toYaml(value: Value): string {
  return stringify(value, { sortMapEntries: true, indentSeq: false, lineWidth: 0 }).replace(/\n$/, '');
}

function indent(spaces: number, text: string): string {
  const pad = ' '.repeat(spaces);
  return pad + text.replaceAll('\n', `\n${pad}`);
}

function field(scope: Scope, reference: string, file: string): Value {
  let value: Value = scope;
  for (const key of reference.slice(1).split('.')) {
    if (typeof value !== 'object' || value === null || !(key in value)) {
      throw new TemplateError(`${file}: ${reference} is not set`);
    }
    value = (value as Record<string, Value>)[key];
  }
  return value;
}

function argument(scope: Scope, word: string, file: string): Value {
  if (word.startsWith('.')) return field(scope, word, file);
  if (word.startsWith('"')) return JSON.parse(word) as string;
  if (/^-?\d+$/.test(word)) return Number(word);
  if (word === 'true' || word === 'false') return word === 'true';
  throw new TemplateError(`${file}: unknown word ${word}`);
}

function call(name: string, args: Value[], file: string): Value {
  const arity = (count: number) => {
    if (args.length !== count) throw new TemplateError(`${file}: ${name} takes ${count} arguments`);
  };
  switch (name) {
    case 'quote':
      // Helm: strconv.Quote of fmt.Sprint of each non-nil argument.
      return args
        .filter((arg) => arg !== undefined && arg !== null)
        .map((arg) => JSON.stringify(print(arg, file)))
        .join(' ');
    case 'toYaml':
      arity(1);
      return toYaml(args[0]);
    case 'indent':
      arity(2);
      return indent(Number(args[0]), print(args[1], file));
    case 'nindent':
      arity(2);
      return `\n${indent(Number(args[0]), print(args[1], file))}`;
    case 'eq':
      arity(2);
      return args[0] === args[1];
    case 'not':
      arity(1);
      return !truthy(args[0]);
    default:
      throw new TemplateError(`${file}: function ${name} is outside the subset this renderer knows`);
  }
}

function evaluate(scope: Scope, pipeline: string, file: string): Value {
  let piped: { value: Value } | undefined;
  for (const command of pipeline.split('|').map((part) => part.trim())) {
    const [head, ...rest] = words(command, file);
    if (head === undefined) throw new TemplateError(`${file}: empty command in "${pipeline}"`);
    if (/^[a-zA-Z]+$/.test(head) && head !== 'true' && head !== 'false') {
      const args = rest.map((word) => argument(scope, word, file));
      if (piped) args.push(piped.value);
      piped = { value: call(head, args, file) };
    } else {
      if (piped || rest.length > 0) throw new TemplateError(`${file}: "${command}" is not a function`);
      piped = { value: argument(scope, head, file) };
    }
  }
  return piped?.value;
}

function execute(nodes: Node[], scope: Scope, file: string): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') out += node.text;
    else if (node.type === 'output') out += print(evaluate(scope, node.pipeline, file), file);
    else
      out += execute(
        truthy(evaluate(scope, node.pipeline, file)) ? node.whenTrue : node.whenFalse,
        scope,
        file,
      );
  }
  return out;
}

/** Helm's InstallOrder (pkg/releaseutil/kind_sorter.go), the kinds this chart can produce. */
const INSTALL_ORDER = [
  'Namespace',
  'NetworkPolicy',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'Deployment',
];

function isObject(value: Value): value is Record<string, Value> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `helm -f`: maps merge key by key, everything else replaces. */
export function mergeValues(base: Value, override: Value): Value {
  if (!isObject(base) || !isObject(override)) return override;
  const merged: Record<string, Value> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeValues(base[key], value);
  return merged;
}

export function chartValues(overrides: Value = {}): Value {
  return mergeValues(parse(readFileSync(path.join(CHART_DIR, 'values.yaml'), 'utf8')), overrides);
}

export interface RenderedDocument {
  /** `meshscope/templates/deployment.yaml` */
  source: string;
  content: string;
}

function scopeFor(overrides: Value, release: { name: string; namespace: string }): Scope {
  const chart = parse(readFileSync(path.join(CHART_DIR, 'Chart.yaml'), 'utf8')) as Record<string, string>;
  return {
    Values: chartValues(overrides),
    Release: { Name: release.name, Namespace: release.namespace, Service: 'Helm' },
    Chart: { Name: String(chart.name), Version: String(chart.version), AppVersion: String(chart.appVersion) },
  };
}

/** One file of templates/ rendered as is (NOTES.txt, which Helm prints after an install). */
export function renderTemplateFile(
  file: string,
  overrides: Value = {},
  release: { name: string; namespace: string } = DEFAULT_RELEASE,
): string {
  const source = readFileSync(path.join(CHART_DIR, 'templates', file), 'utf8');
  return execute(parseTemplate(source, file), scopeFor(overrides, release), file);
}

/** The chart's documents for these values, in the order `helm template` prints them. */
export function renderChart(
  overrides: Value = {},
  release: { name: string; namespace: string } = DEFAULT_RELEASE,
): RenderedDocument[] {
  const scope = scopeFor(overrides, release);
  const templates = path.join(CHART_DIR, 'templates');
  const documents: (RenderedDocument & { kind: string })[] = [];
  for (const file of readdirSync(templates).sort()) {
    if (file.startsWith('_') || !/\.ya?ml$/.test(file)) continue;
    const text = execute(parseTemplate(readFileSync(path.join(templates, file), 'utf8'), file), scope, file);
    // releaseutil.SplitManifests
    for (const piece of text.trim().split(/(?:^|\s*\n)---\s*/)) {
      const content = piece.trim();
      if (content === '') continue;
      const kind = String((parse(content) as { kind?: unknown } | null)?.kind ?? '');
      documents.push({ source: `${scope.Chart.Name}/templates/${file}`, content, kind });
    }
  }
  const rank = (kind: string) => {
    const index = INSTALL_ORDER.indexOf(kind);
    if (index < 0) throw new TemplateError(`kind ${kind || '(none)'} is not in the install order`);
    return index;
  };
  // Stable: by kind, then in file order.
  return documents
    .map((document, index) => ({ document, index }))
    .sort((a, b) => rank(a.document.kind) - rank(b.document.kind) || a.index - b.index)
    .map(({ document }) => ({ source: document.source, content: document.content }));
}

/** The whole output as `helm template` prints it. */
export function renderManifest(overrides: Value = {}, release = DEFAULT_RELEASE): string {
  return renderChart(overrides, release)
    .map((document) => `---\n# Source: ${document.source}\n${document.content}\n`)
    .join('');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(renderManifest());
}
