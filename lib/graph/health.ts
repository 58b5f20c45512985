/**
 * Step (g), health from the graph's own traffic with Kiali's tolerances. A tolerance names the
 * response codes it counts (a regular expression; `X` is any digit, `-` is no response), the
 * protocols and directions it applies to, and the percentages of requests at which the status
 * turns degraded and failure. Kiali's defaults: any 5xx degrades, 10 % fails; 4xx degrade at 10 %
 * and fail at 20 %; gRPC errors and no responses as 5xx.
 *
 * An edge is judged on its own requests (idle without traffic, healthy with TCP bytes only). A
 * node is the worst of its inbound and its outbound requests, each judged separately, and of its
 * workloads' pods (none ready: failure; fewer than desired: degraded); idle when it had no traffic.
 * An app box is the worst of its members.
 */
import type { GraphNode, Health, HealthStatus } from '../types/graph';
import type { WorkloadInfo } from '../types/mesh-config';
import type { RequestSample } from '../types/telemetry';
import type { ConfigIndex } from './config-index';
import { indexGraph, type WorkingEdge, type WorkingGraph } from './model';
import { responseCodeOf } from './responses';

export interface HealthTolerance {
  /** codes counted: a regular expression on the HTTP status (gRPC status for gRPC, `-` for none); `X` = any digit */
  code: string;
  /** regular expression on the protocol: `http`, `grpc`, `http|grpc` */
  protocol: string;
  /** regular expression on the direction: `inbound`, `outbound`, `.*` */
  direction: string;
  /** percent of requests from which the status is degraded (0: any such request) */
  degraded: number;
  /** percent of requests from which the status is failure */
  failure: number;
}

export const defaultHealthTolerances: readonly HealthTolerance[] = [
  { code: '5XX', protocol: 'http', direction: '.*', degraded: 0, failure: 10 },
  { code: '4XX', protocol: 'http', direction: '.*', degraded: 10, failure: 20 },
  { code: '^[1-9]$|^1[0-6]$', protocol: 'grpc', direction: '.*', degraded: 0, failure: 10 },
  { code: '-', protocol: 'http|grpc', direction: '.*', degraded: 0, failure: 10 },
];

type Direction = 'inbound' | 'outbound';

/** A regular expression with its answers remembered: a graph has thousands of edges but few codes. */
interface Matcher {
  test(value: string): boolean;
}

function matcher(pattern: RegExp): Matcher {
  const answers = new Map<string, boolean>();
  return {
    test(value) {
      let answer = answers.get(value);
      if (answer === undefined) {
        answer = pattern.test(value);
        answers.set(value, answer);
      }
      return answer;
    },
  };
}

interface CompiledTolerance extends HealthTolerance {
  codes: Matcher;
  protocols: Matcher;
  directions: Matcher;
}

const severity: Record<HealthStatus, number> = { failure: 4, degraded: 3, healthy: 2, idle: 1, na: 0 };

export function worstStatus(statuses: readonly HealthStatus[]): HealthStatus {
  return statuses.reduce<HealthStatus>(
    (worst, status) => (severity[status] > severity[worst] ? status : worst),
    'na',
  );
}

export function compileTolerances(tolerances: readonly HealthTolerance[]): CompiledTolerance[] {
  const anchored = (pattern: string) => matcher(new RegExp(`^(?:${pattern})$`));
  return tolerances.map((tolerance) => ({
    ...tolerance,
    codes: anchored(tolerance.code.replaceAll('X', '\\d')),
    protocols: anchored(tolerance.protocol),
    directions: anchored(tolerance.direction),
  }));
}

interface Verdict {
  status: HealthStatus;
  reason?: string;
}

function percent(value: number): string {
  return `${Number(value.toFixed(value < 1 ? 2 : 1))} %`;
}

/** Requests per second of one protocol and response code: what tolerances are matched against. */
interface Outcome {
  protocol: string;
  code: string;
  rate: number;
}

/**
 * Adds requests to their outcome in `outcomes`. A list searched in place: an edge or a node sees
 * a handful of codes, and a map keyed by a joined string per sample cost more than the search.
 */
function addOutcome(outcomes: Outcome[], protocol: string, code: string, rate: number): void {
  for (const outcome of outcomes) {
    if (outcome.code === code && outcome.protocol === protocol) {
      outcome.rate += rate;
      return;
    }
  }
  outcomes.push({ protocol, code, rate });
}

/** Requests per second by protocol and response code. */
function byOutcome(samples: readonly RequestSample[]): Outcome[] {
  const outcomes: Outcome[] = [];
  for (const sample of samples) addOutcome(outcomes, sample.protocol, responseCodeOf(sample), sample.rate);
  return outcomes;
}

/** Several edges' outcomes as one list (a node's inbound or outbound requests). */
function mergeOutcomes(lists: readonly (readonly Outcome[])[]): readonly Outcome[] {
  if (lists.length === 1) return lists[0] ?? [];
  const outcomes: Outcome[] = [];
  for (const list of lists)
    for (const outcome of list) addOutcome(outcomes, outcome.protocol, outcome.code, outcome.rate);
  return outcomes;
}

/** Judge requests in one direction; `na` when there are none. */
export function judgeRequests(
  samples: readonly RequestSample[],
  direction: Direction,
  tolerances: readonly CompiledTolerance[],
): Verdict {
  return judgeOutcomes(byOutcome(samples), samples.length > 0, direction, tolerances);
}

function judgeOutcomes(
  outcomes: readonly Outcome[],
  anyRequest: boolean,
  direction: Direction,
  tolerances: readonly CompiledTolerance[],
): Verdict {
  let verdict: Verdict = { status: anyRequest ? 'healthy' : 'na' };
  for (const tolerance of tolerances) {
    if (!tolerance.directions.test(direction)) continue;
    let total = 0;
    let matching = 0;
    for (const outcome of outcomes) {
      if (!tolerance.protocols.test(outcome.protocol)) continue;
      total += outcome.rate;
      if (tolerance.codes.test(outcome.code)) matching += outcome.rate;
    }
    if (total <= 0) continue;
    const share = (matching / total) * 100;
    if (share <= 0) continue;
    const status: HealthStatus =
      share >= tolerance.failure ? 'failure' : share >= tolerance.degraded ? 'degraded' : 'healthy';
    if (severity[status] > severity[verdict.status]) {
      verdict = { status, reason: `${tolerance.code} on ${percent(share)} of ${direction} requests` };
    }
  }
  return verdict;
}

const noVerdict: Verdict = { status: 'na' };
const healthyVerdict: Verdict = { status: 'healthy' };
const idleVerdict: Verdict = { status: 'idle' };

function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce(worseVerdict, noVerdict);
}

/** `verdict` when it is worse than `worst`, else `worst` (the first of equals wins). */
function worseVerdict(worst: Verdict, verdict: Verdict): Verdict {
  return severity[verdict.status] > severity[worst.status] ? verdict : worst;
}

/** The worst of the workloads' pods: no pod ready (failure), fewer ready than desired (degraded). */
function podsVerdict(node: GraphNode, index: ConfigIndex): Verdict {
  if (node.kind === 'workload') {
    const workload = index.workload(node.namespace, node.workload ?? node.name);
    return workload ? worseVerdict(noVerdict, workloadVerdict(workload)) : noVerdict;
  }
  if (node.kind !== 'app') return { status: 'na' };
  let worst = noVerdict;
  for (const workload of index.workloadsOfApp(node.namespace, node.app ?? node.name, node.version))
    worst = worseVerdict(worst, workloadVerdict(workload));
  return worst;
}

function workloadVerdict(workload: WorkloadInfo): Verdict {
  if (workload.desiredReplicas > 0 && workload.readyReplicas === 0)
    return { status: 'failure', reason: `${workload.name}: no pod ready of ${workload.desiredReplicas}` };
  if (workload.readyReplicas < workload.desiredReplicas)
    return {
      status: 'degraded',
      reason: `${workload.name}: ${workload.readyReplicas} of ${workload.desiredReplicas} pods ready`,
    };
  return noVerdict;
}

const hasBytes = (edge: WorkingEdge) => edge.records.throughput.length > 0;

export interface HealthInput {
  index: ConfigIndex;
  tolerances: readonly HealthTolerance[];
}

export function applyHealth(graph: WorkingGraph, input: HealthInput): WorkingGraph {
  const tolerances = compileTolerances(input.tolerances);
  // Each edge's requests grouped by outcome once: its own verdict and both its nodes' use them.
  const outcomesOf = new Map<WorkingEdge, Outcome[]>();
  for (const edge of graph.edges) {
    const requests = edge.records.requests;
    if (requests.length === 0) {
      edge.health = hasBytes(edge) ? 'healthy' : 'idle';
      continue;
    }
    const outcomes = byOutcome(requests);
    outcomesOf.set(edge, outcomes);
    const verdict = worseVerdict(
      worseVerdict(noVerdict, judgeOutcomes(outcomes, true, 'outbound', tolerances)),
      judgeOutcomes(outcomes, true, 'inbound', tolerances),
    );
    edge.health = verdict.status;
  }
  const judgeEdges = (list: readonly WorkingEdge[], direction: Direction): Verdict => {
    const lists: Outcome[][] = [];
    for (const edge of list) {
      const outcomes = outcomesOf.get(edge);
      if (outcomes) lists.push(outcomes);
    }
    return judgeOutcomes(mergeOutcomes(lists), lists.length > 0, direction, tolerances);
  };
  const { incoming, outgoing } = indexGraph(graph);
  const judged = graph.nodes.map((node): GraphNode => {
    if (node.isBox) return node;
    const inbound = incoming.get(node.id) ?? [];
    const outbound = outgoing.get(node.id) ?? [];
    const traffic = worseVerdict(
      worseVerdict(noVerdict, judgeEdges(inbound, 'inbound')),
      judgeEdges(outbound, 'outbound'),
    );
    const carried = traffic.status !== 'na' || inbound.some(hasBytes) || outbound.some(hasBytes);
    const verdict = worseVerdict(
      worseVerdict(noVerdict, carried ? (traffic.status === 'na' ? healthyVerdict : traffic) : idleVerdict),
      podsVerdict(node, input.index),
    );
    const health: Health = {
      status: verdict.status,
      errorRate: Math.max(node.traffic.inboundErrorRate, node.traffic.outboundErrorRate),
      ...(verdict.reason ? { reason: verdict.reason } : {}),
    };
    node.health = health;
    return node;
  });
  const byParent = new Map<string, GraphNode[]>();
  for (const node of judged) {
    if (!node.parent) continue;
    const members = byParent.get(node.parent);
    if (members) members.push(node);
    else byParent.set(node.parent, [node]);
  }
  for (const node of judged) {
    if (!node.isBox) continue;
    const members = byParent.get(node.id) ?? [];
    const worst = worstVerdict(
      members.map((member) => ({ status: member.health.status, reason: member.health.reason })),
    );
    node.health = {
      status: worst.status,
      errorRate: Math.max(node.traffic.inboundErrorRate, node.traffic.outboundErrorRate),
      ...(worst.reason ? { reason: worst.reason } : {}),
    };
  }
  return graph;
}
