/**
 * Kiali's find/hide expression language over the graph (GraphHelpFind in Kiali's UI):
 *
 *     name = reviews AND rt > 500          node attribute, edge attribute, comparisons
 *     ! healthy OR %httperr >= 5           unaries, `!`/`not`; OR binds tighter than AND
 *     namespace != istio-system AND node = service
 *
 * - node attributes: app, namespace (ns), name, node (app, service, workload, serviceentry,
 *   unknown, box), service (svc), version, workload (wl), rank, httpin, httpout
 * - node unaries: healthy, idle, outside, outofmesh (om), gateway, trafficshifting (ts),
 *   virtualservice (vs), circuitbreaker (cb), faultinjection (fi), requesttimeout (rto), retries,
 *   mirroring, serviceentry (se), trafficsource (root), box, ejected (pods ejected by outlier detection)
 * - edge attributes: http, grpc (rps), tcp (bytes/s), %httperr, %grpcerr, %httptraffic,
 *   %grpctraffic, protocol, responsetime (rt, p95 ms), throughput (bytes/s), mtls (%),
 *   sourceprincipal, destprincipal; edge unaries: traffic, mtls, tripped (UO/UH responses)
 * - operators: = != > >= < <= on numbers; = != ^= $= *= and !^= !$= !*= on text (case-insensitive)
 * - AND / `&&`, OR / `||`, no parentheses; a term of node criteria cannot be ANDed with one of edge
 *   criteria (nothing is both).
 *
 * `applyFindHide` gives the ids to highlight and to hide: hide wins over find, hiding a node hides
 * its edges (and a box's members; a box whose members are all hidden goes too).
 */
import type { Badge, GraphEdge, GraphNode, NodeKind } from '../types/graph';

export interface FindContext {
  /** a node's rank, 1 = most connected (see `nodeRanks`) */
  rank?: (nodeId: string) => number | undefined;
}

export type NodePredicate = (node: GraphNode, context?: FindContext) => boolean;
export type EdgePredicate = (edge: GraphEdge, context?: FindContext) => boolean;

export interface FindHideError {
  /** what is wrong, ending with `at POSITION` */
  error: string;
  /** 0-based offset into the expression */
  position: number;
}

export type FindHideParse =
  | { ok: true; nodes: NodePredicate; edges: EdgePredicate }
  | ({ ok: false } & FindHideError);

type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '^=' | '$=' | '*=' | '!^=' | '!$=' | '!*=';

const numericOperators: Operator[] = ['=', '!=', '>', '>=', '<', '<='];
const textOperators: Operator[] = ['=', '!=', '^=', '$=', '*=', '!^=', '!$=', '!*='];
/** Longest first, so `!^=` is not read as `!` then `^=`. */
const operatorTokens: Operator[] = ['!^=', '!$=', '!*=', '!=', '>=', '<=', '^=', '$=', '*=', '=', '>', '<'];

type Target = 'node' | 'edge';

interface NumberAttribute<T> {
  type: 'number';
  read: (element: T, context?: FindContext) => number | undefined;
}
interface TextAttribute<T> {
  type: 'text';
  read: (element: T) => string[];
  /** the values allowed, when the attribute is an enumeration */
  values?: readonly string[];
  /** aliases of values (`svc` for `service`) */
  aliases?: Record<string, string>;
}
type Attribute<T> = NumberAttribute<T> | TextAttribute<T>;

const one = (value: string | undefined) => (value === undefined || value === '' ? [] : [value]);
const when = (condition: boolean, value: number) => (condition ? value : undefined);
const hasBadge = (badge: Badge) => (node: GraphNode) => node.badges.includes(badge);
const bytes = (edge: GraphEdge) =>
  edge.throughput ? edge.throughput.sentBytesPerSecond + edge.throughput.receivedBytesPerSecond : undefined;

const nodeKinds: readonly (NodeKind | 'box')[] = [
  'app',
  'service',
  'workload',
  'serviceentry',
  'unknown',
  'box',
];

const nodeAttributes: Record<string, Attribute<GraphNode>> = {
  app: { type: 'text', read: (node) => one(node.app) },
  namespace: { type: 'text', read: (node) => one(node.namespace) },
  name: { type: 'text', read: (node) => one(node.name) },
  node: {
    type: 'text',
    read: (node) => [node.isBox ? 'box' : node.kind],
    values: nodeKinds,
    aliases: { svc: 'service', wl: 'workload', se: 'serviceentry' },
  },
  service: { type: 'text', read: (node) => (node.service ?? '').split(',').filter(Boolean) },
  version: { type: 'text', read: (node) => one(node.version) },
  workload: { type: 'text', read: (node) => one(node.workload) },
  rank: { type: 'number', read: (node, context) => context?.rank?.(node.id) },
  httpin: { type: 'number', read: (node) => node.traffic.inboundRps },
  httpout: { type: 'number', read: (node) => node.traffic.outboundRps },
};
const nodeAttributeAliases: Record<string, string> = { ns: 'namespace', svc: 'service', wl: 'workload' };

const nodeUnaries: Record<string, (node: GraphNode) => boolean> = {
  healthy: (node) => node.health.status === 'healthy',
  idle: (node) => node.isIdle === true,
  outside: (node) => node.isOutside === true,
  outofmesh: (node) => node.isOutside === true,
  gateway: (node) => node.isGateway === true,
  trafficshifting: hasBadge('trafficShifting'),
  virtualservice: hasBadge('virtualService'),
  circuitbreaker: hasBadge('circuitBreaker'),
  faultinjection: hasBadge('faultInjection'),
  requesttimeout: hasBadge('requestTimeout'),
  retries: hasBadge('retries'),
  mirroring: hasBadge('mirroring'),
  serviceentry: (node) => node.kind === 'serviceentry' || node.badges.includes('serviceEntry'),
  trafficsource: (node) => node.isRoot === true,
  box: (node) => node.isBox === true,
  ejected: (node) => (node.ejection?.ejected ?? 0) > 0,
};
const nodeUnaryAliases: Record<string, string> = {
  om: 'outofmesh',
  ts: 'trafficshifting',
  vs: 'virtualservice',
  cb: 'circuitbreaker',
  fi: 'faultinjection',
  rto: 'requesttimeout',
  se: 'serviceentry',
  root: 'trafficsource',
};

const edgeAttributes: Record<string, Attribute<GraphEdge>> = {
  http: { type: 'number', read: (edge) => when(edge.protocol === 'http', edge.rps) },
  grpc: { type: 'number', read: (edge) => when(edge.protocol === 'grpc', edge.rps) },
  tcp: { type: 'number', read: (edge) => (edge.protocol === 'tcp' ? (bytes(edge) ?? 0) : undefined) },
  '%httperr': { type: 'number', read: (edge) => when(edge.protocol === 'http', edge.errorRate * 100) },
  '%grpcerr': { type: 'number', read: (edge) => when(edge.protocol === 'grpc', edge.errorRate * 100) },
  '%httptraffic': { type: 'number', read: (edge) => when(edge.protocol === 'http', edge.percentOfSource) },
  '%grpctraffic': { type: 'number', read: (edge) => when(edge.protocol === 'grpc', edge.percentOfSource) },
  protocol: { type: 'text', read: (edge) => [edge.protocol], values: ['http', 'grpc', 'tcp'] },
  responsetime: { type: 'number', read: (edge) => edge.responseTime?.p95 },
  throughput: { type: 'number', read: bytes },
  mtls: { type: 'number', read: (edge) => edge.mtlsPercent },
  sourceprincipal: { type: 'text', read: (edge) => edge.sourcePrincipals },
  destprincipal: { type: 'text', read: (edge) => edge.destinationPrincipals },
};
const edgeAttributeAliases: Record<string, string> = {
  rt: 'responsetime',
  '%httperror': '%httperr',
  '%grpcerror': '%grpcerr',
};

const edgeUnaries: Record<string, (edge: GraphEdge) => boolean> = {
  traffic: (edge) => !edge.isIdle && (edge.rps > 0 || (bytes(edge) ?? 0) > 0),
  mtls: (edge) => edge.mtlsPercent > 0,
  /** a circuit breaker refused requests (UO) or no upstream was healthy (UH) */
  tripped: (edge) => Object.keys(edge.responseFlags).some((flags) => /(^|,)(UO|UH)(,|$)/.test(flags)),
};

/** Every word the language knows, for autocompletion. */
export const findHideVocabulary = {
  nodeAttributes: [...Object.keys(nodeAttributes), ...Object.keys(nodeAttributeAliases)].sort(),
  nodeUnaries: [...Object.keys(nodeUnaries), ...Object.keys(nodeUnaryAliases)].sort(),
  edgeAttributes: [...Object.keys(edgeAttributes), ...Object.keys(edgeAttributeAliases)].sort(),
  edgeUnaries: Object.keys(edgeUnaries).sort(),
  operators: [...operatorTokens],
  nodeKinds: [...nodeKinds],
};

// ---------------------------------------------------------------------------------------------
// Tokens

type Token =
  | { type: 'word'; text: string; quoted: boolean; position: number }
  | { type: 'operator'; text: Operator; position: number }
  | { type: 'not' | 'and' | 'or'; text: string; position: number }
  | { type: 'end'; text: ''; position: number };

class FindHideSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly position: number,
  ) {
    super(`${reason} at ${position}`);
  }
}

const wordBreak = /[\s=!<>^$*&|"']/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text.charAt(index);
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    const two = text.slice(index, index + 2);
    if (two === '&&' || two === '||') {
      tokens.push({ type: two === '&&' ? 'and' : 'or', text: two, position: index });
      index += 2;
      continue;
    }
    const operator = operatorTokens.find((candidate) => text.startsWith(candidate, index));
    if (operator) {
      tokens.push({ type: 'operator', text: operator, position: index });
      index += operator.length;
      continue;
    }
    if (char === '!') {
      tokens.push({ type: 'not', text: '!', position: index });
      index += 1;
      continue;
    }
    if (char === '"' || char === "'") {
      const close = text.indexOf(char, index + 1);
      if (close === -1) throw new FindHideSyntaxError(`unterminated quote ${char}`, index);
      tokens.push({ type: 'word', text: text.slice(index + 1, close), quoted: true, position: index });
      index = close + 1;
      continue;
    }
    if (char === '&' || char === '|')
      throw new FindHideSyntaxError(`unexpected '${char}' (use AND or OR)`, index);
    let end = index;
    while (end < text.length && !wordBreak.test(text.charAt(end))) end += 1;
    const word = text.slice(index, end);
    const keyword = word.toLowerCase();
    if (keyword === 'and' || keyword === 'or' || keyword === 'not') {
      tokens.push({ type: keyword, text: word, position: index });
    } else {
      tokens.push({ type: 'word', text: word, quoted: false, position: index });
    }
    index = end;
  }
  tokens.push({ type: 'end', text: '', position: text.length });
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Predicates

interface Predicate {
  target: Target;
  node?: NodePredicate;
  edge?: EdgePredicate;
}

function compareNumbers(value: number | undefined, operator: Operator, wanted: number): boolean {
  if (value === undefined || Number.isNaN(value)) return false;
  switch (operator) {
    case '=':
      return value === wanted;
    case '!=':
      return value !== wanted;
    case '>':
      return value > wanted;
    case '>=':
      return value >= wanted;
    case '<':
      return value < wanted;
    case '<=':
      return value <= wanted;
    default:
      return false;
  }
}

function matchesText(values: string[], operator: Operator, wanted: string): boolean {
  const positive = operator.startsWith('!') ? (operator === '!=' ? '=' : operator.slice(1)) : operator;
  const needle = wanted.toLowerCase();
  const found = values.some((raw) => {
    const value = raw.toLowerCase();
    if (positive === '=') return value === needle;
    if (positive === '^=') return value.startsWith(needle);
    if (positive === '$=') return value.endsWith(needle);
    return value.includes(needle);
  });
  return positive === operator ? found : !found;
}

function comparison<T>(
  name: string,
  attribute: Attribute<T>,
  operator: Token & { type: 'operator' },
  value: Token & { type: 'word' },
): (element: T, context?: FindContext) => boolean {
  if (attribute.type === 'number') {
    if (!numericOperators.includes(operator.text))
      throw new FindHideSyntaxError(
        `'${name}' compares numbers: '${operator.text}' does not apply`,
        operator.position,
      );
    const wanted = Number(value.text);
    if (value.text.trim() === '' || !Number.isFinite(wanted))
      throw new FindHideSyntaxError(`'${name}' needs a number, not '${value.text}'`, value.position);
    return (element, context) => compareNumbers(attribute.read(element, context), operator.text, wanted);
  }
  if (!textOperators.includes(operator.text))
    throw new FindHideSyntaxError(
      `'${name}' is text: use = != ^= $= *= !^= !$= !*=, not '${operator.text}'`,
      operator.position,
    );
  let wanted = value.text;
  if (attribute.values) {
    const lower = wanted.toLowerCase();
    wanted = attribute.aliases?.[lower] ?? lower;
    const exact = operator.text === '=' || operator.text === '!=';
    if (exact && !attribute.values.includes(wanted))
      throw new FindHideSyntaxError(
        `unknown ${name} '${value.text}' (one of ${attribute.values.join(', ')})`,
        value.position,
      );
  }
  return (element) => matchesText(attribute.read(element), operator.text, wanted);
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  /** The token at hand (a method, not a getter: a getter's type would stay narrowed across next()). */
  private peek(): Token {
    return this.tokens[this.index] ?? (this.tokens[this.tokens.length - 1] as Token);
  }

  private next(): Token {
    const token = this.peek();
    this.index = Math.min(this.index + 1, this.tokens.length - 1);
    return token;
  }

  /** expression := orGroup (AND orGroup)* */
  parse(): { nodes: NodePredicate; edges: EdgePredicate } {
    if (this.peek().type === 'end') throw new FindHideSyntaxError('empty expression', 0);
    const groups: { predicates: Predicate[]; position: number }[] = [];
    let position = this.peek().position;
    for (;;) {
      groups.push({ predicates: this.orGroup(), position });
      const token = this.peek();
      if (token.type === 'end') break;
      if (token.type !== 'and')
        throw new FindHideSyntaxError(`expected AND or OR before '${token.text}'`, token.position);
      this.next();
      position = token.position;
      if (this.peek().type === 'end')
        throw new FindHideSyntaxError(`expected an expression after '${token.text}'`, this.peek().position);
    }
    const targets = groups.map((group) => new Set(group.predicates.map((predicate) => predicate.target)));
    const nodeOnly = targets.findIndex((set) => set.size === 1 && set.has('node'));
    const edgeOnly = targets.findIndex((set) => set.size === 1 && set.has('edge'));
    if (nodeOnly !== -1 && edgeOnly !== -1) {
      const later = groups[Math.max(nodeOnly, edgeOnly)] as { position: number };
      throw new FindHideSyntaxError(
        'cannot AND node criteria with edge criteria (use OR, or two searches)',
        later.position,
      );
    }
    const nodeGroups = groups.map((group) => group.predicates.flatMap((predicate) => predicate.node ?? []));
    const edgeGroups = groups.map((group) => group.predicates.flatMap((predicate) => predicate.edge ?? []));
    return {
      nodes: (node, context) =>
        nodeGroups.every((group) => group.some((predicate) => predicate(node, context))),
      edges: (edge, context) =>
        edgeGroups.every((group) => group.some((predicate) => predicate(edge, context))),
    };
  }

  /** orGroup := predicate (OR predicate)* */
  private orGroup(): Predicate[] {
    const predicates = [this.predicate()];
    while (this.peek().type === 'or') {
      const or = this.next();
      if (this.peek().type === 'end')
        throw new FindHideSyntaxError(`expected an expression after '${or.text}'`, this.peek().position);
      predicates.push(this.predicate());
    }
    return predicates;
  }

  /** predicate := (! | not)* (unary | attribute operator value) */
  private predicate(): Predicate {
    let negated = false;
    while (this.peek().type === 'not') {
      this.next();
      negated = !negated;
    }
    const token = this.next();
    if (token.type !== 'word' || token.quoted) {
      const found = token.type === 'end' ? 'the end' : `'${token.text}'`;
      throw new FindHideSyntaxError(
        `expected an attribute or a unary such as healthy, found ${found}`,
        token.position,
      );
    }
    const predicate = this.peek().type === 'operator' ? this.comparison(token) : this.unary(token);
    if (!negated) return predicate;
    return {
      target: predicate.target,
      ...(predicate.node ? { node: negate(predicate.node) } : {}),
      ...(predicate.edge ? { edge: negate(predicate.edge) } : {}),
    };
  }

  private comparison(name: Token & { type: 'word' }): Predicate {
    const operator = this.next() as Token & { type: 'operator' };
    const value = this.next();
    if (value.type !== 'word')
      throw new FindHideSyntaxError(`expected a value after '${operator.text}'`, value.position);
    const key = name.text.toLowerCase();
    const nodeKey = nodeAttributeAliases[key] ?? key;
    const nodeAttribute = nodeAttributes[nodeKey];
    if (nodeAttribute) return { target: 'node', node: comparison(nodeKey, nodeAttribute, operator, value) };
    const edgeKey = edgeAttributeAliases[key] ?? key;
    const edgeAttribute = edgeAttributes[edgeKey];
    if (edgeAttribute) return { target: 'edge', edge: comparison(edgeKey, edgeAttribute, operator, value) };
    throw new FindHideSyntaxError(`unknown attribute '${name.text}'`, name.position);
  }

  private unary(name: Token & { type: 'word' }): Predicate {
    const key = name.text.toLowerCase();
    const node = nodeUnaries[nodeUnaryAliases[key] ?? key];
    if (node) return { target: 'node', node: (element) => node(element) };
    const edge = edgeUnaries[key];
    if (edge) return { target: 'edge', edge: (element) => edge(element) };
    if (nodeAttributes[nodeAttributeAliases[key] ?? key] || edgeAttributes[edgeAttributeAliases[key] ?? key])
      throw new FindHideSyntaxError(
        `'${name.text}' needs an operator and a value (e.g. ${name.text} = ...)`,
        this.peek().position,
      );
    throw new FindHideSyntaxError(`unknown attribute '${name.text}'`, name.position);
  }
}

function negate<T>(predicate: (element: T, context?: FindContext) => boolean) {
  return (element: T, context?: FindContext) => !predicate(element, context);
}

/** Parse a find or hide expression. */
export function parseFindHide(text: string): FindHideParse {
  try {
    const { nodes, edges } = new Parser(tokenize(text)).parse();
    return { ok: true, nodes, edges };
  } catch (error) {
    if (error instanceof FindHideSyntaxError)
      return { ok: false, error: error.message, position: error.position };
    throw error;
  }
}

/**
 * Ranks by connectedness, as the `rank` attribute reads them: nodes ordered by how many edges
 * with traffic touch them, 1 for the most connected; equal counts share a rank.
 */
export function nodeRanks(graph: {
  nodes: readonly GraphNode[];
  edges: readonly GraphEdge[];
}): Map<string, number> {
  const degree = new Map<string, number>();
  for (const edge of graph.edges) {
    if (edge.isIdle) continue;
    degree.set(edge.source, (degree.get(edge.source) ?? 0) + 1);
    degree.set(edge.target, (degree.get(edge.target) ?? 0) + 1);
  }
  const distinct = [
    ...new Set(graph.nodes.filter((node) => !node.isBox).map((node) => degree.get(node.id) ?? 0)),
  ].sort((a, b) => b - a);
  const rankOf = new Map(distinct.map((value, index) => [value, index + 1]));
  return new Map(
    graph.nodes
      .filter((node) => !node.isBox)
      .map((node) => [node.id, rankOf.get(degree.get(node.id) ?? 0) ?? 1]),
  );
}

export interface FindHideResult {
  /** node and edge ids the find expression matches, less the hidden ones */
  found: Set<string>;
  /** node and edge ids to hide */
  hidden: Set<string>;
  errors: { find?: FindHideError; hide?: FindHideError };
}

/** Highlight what `find` matches and hide what `hide` matches; blank expressions do nothing. */
export function applyFindHide(
  graph: { nodes: readonly GraphNode[]; edges: readonly GraphEdge[] },
  find: string,
  hide: string,
): FindHideResult {
  const errors: FindHideResult['errors'] = {};
  const ranks = nodeRanks(graph);
  const context: FindContext = { rank: (id) => ranks.get(id) };
  const parsed = (text: string, which: 'find' | 'hide') => {
    if (text.trim() === '') return undefined;
    const result = parseFindHide(text);
    if (result.ok) return result;
    errors[which] = { error: result.error, position: result.position };
    return undefined;
  };
  const hider = parsed(hide, 'hide');
  const finder = parsed(find, 'find');

  const hidden = new Set<string>();
  if (hider) {
    for (const node of graph.nodes) if (hider.nodes(node, context)) hidden.add(node.id);
    // A hidden box takes its members along; a box left empty goes too.
    for (const node of graph.nodes) if (node.parent && hidden.has(node.parent)) hidden.add(node.id);
    const members = new Map<string, GraphNode[]>();
    for (const node of graph.nodes)
      if (node.parent) members.set(node.parent, [...(members.get(node.parent) ?? []), node]);
    for (const [box, children] of members)
      if (children.every((child) => hidden.has(child.id))) hidden.add(box);
    for (const edge of graph.edges)
      if (hidden.has(edge.source) || hidden.has(edge.target) || hider.edges(edge, context))
        hidden.add(edge.id);
  }
  const found = new Set<string>();
  if (finder) {
    for (const node of graph.nodes)
      if (!hidden.has(node.id) && finder.nodes(node, context)) found.add(node.id);
    for (const edge of graph.edges)
      if (!hidden.has(edge.id) && finder.edges(edge, context)) found.add(edge.id);
  }
  return { found, hidden, errors };
}
