/**
 * The traffic-split editor's API (`GET|PUT /api/traffic-split/NAMESPACE/VIRTUALSERVICE`, DESIGN.md
 * §4): a VirtualService's weighted routes, whether the caller may change them and why not, and the
 * change the editor sends back. Plain data shared by the server and the browser.
 */
import type { ApiWarning } from './api';
import type { Finding } from './validation';

/** `spec.http` or `spec.tcp`: the two kinds of route whose destinations carry weights. */
export type RouteProtocol = 'http' | 'tcp';

/** A route destination as the object names it. */
export interface DestinationRef {
  /** the host as written in the object (`reviews`, or a fully qualified name) */
  host: string;
  subset?: string;
  /** `destination.port.number`, when the object names one */
  port?: number;
}

export interface SplitDestination extends DestinationRef {
  /** percent of the route's traffic, 0–100 */
  weight: number;
  /** the object states the weight; false when implied (100 for a lone destination, else 0) */
  explicit: boolean;
  /**
   * Why traffic sent here would fail, in words: an unknown host or a subset no DestinationRule
   * defines (`error`: refused with weight above 0), a subset without running pods (`warning`).
   */
  problem?: DestinationProblem;
}

export interface DestinationProblem {
  severity: 'error' | 'warning';
  message: string;
}

export interface SplitRoute {
  protocol: RouteProtocol;
  /** position in `spec.http` or `spec.tcp` */
  index: number;
  /** the route's `name`, when it has one */
  name?: string;
  /** the route's match conditions in words, one per `match` entry; empty for a catch-all route */
  match: string[];
  destinations: SplitDestination[];
  /**
   * Subsets a DestinationRule defines for the route's hosts that the route does not send to yet:
   * the editor offers them as destinations at weight 0 (added to the route when given weight).
   */
  candidates: SplitDestination[];
}

/** A version of a host that has running pods but no subset selecting them. */
export interface SubsetOffer {
  /** the route host as written in the VirtualService */
  host: string;
  /** proposed subset name (the version) */
  name: string;
  /** the subset's labels, e.g. `{version: 'v4'}` */
  labels: Record<string, string>;
  /** running pods of that version */
  pods: number;
  /** the DestinationRule the subset goes into; absent when one is created */
  destinationRule?: { namespace: string; name: string };
}

/** A controller that owns the weights (Flagger, Argo Rollouts, Argo CD, Flux). */
export interface SplitOwner {
  controller: string;
  owner: string;
  reason: string;
}

/** `GET /api/traffic-split/NAMESPACE/VIRTUALSERVICE` */
export interface TrafficSplit {
  namespace: string;
  name: string;
  /** the version read: send it back with the change */
  resourceVersion: string;
  hosts: string[];
  gateways: string[];
  routes: SplitRoute[];
  /** whether the caller may change the weights here */
  editable: boolean;
  /** why not, in words (read-only mode, RBAC, an owning controller) */
  reason?: string;
  owner?: SplitOwner;
  /** whether the caller may also add subsets to (or create) DestinationRules */
  canEditDestinationRules: boolean;
  subsetOffers: SubsetOffer[];
  /** the configuration checks' findings on this VirtualService */
  findings: Finding[];
  /** the object as YAML (without managedFields and status), to show what changed on a conflict */
  yaml: string;
  warnings: ApiWarning[];
}

export interface WeightEntry extends DestinationRef {
  /** integer 0–100 */
  weight: number;
}

export interface RouteWeights {
  /** default `http` */
  protocol?: RouteProtocol;
  index: number;
  /**
   * One entry per destination of the route, in its order; entries past the route's destinations
   * are destinations to add to it.
   */
  weights: WeightEntry[];
}

/** A subset to add to the host's DestinationRule (created when the host has none) before the split. */
export interface SubsetAddition {
  /** the route host as written in the VirtualService */
  host: string;
  name: string;
  labels: Record<string, string>;
}

/** A rule inserted before a route, sending requests with a header value to one destination. */
export interface HeaderRouteAddition {
  /** the `spec.http` index the rule goes in front of */
  beforeIndex: number;
  /** header name, e.g. `x-env` (lower case, as Envoy sees it) */
  header: string;
  /** exact value, e.g. `canary` */
  value: string;
  destination: DestinationRef;
}

/** `PUT /api/traffic-split/NAMESPACE/VIRTUALSERVICE` */
export interface TrafficSplitChange {
  /** the resourceVersion the change is based on (from the GET) */
  resourceVersion: string;
  routes: RouteWeights[];
  subsets?: SubsetAddition[];
  headerRoutes?: HeaderRouteAddition[];
  /** only check and show the change (server-side dry run); nothing is written */
  dryRun?: boolean;
}

/** One object the change writes, before and after, as YAML. */
export interface ObjectChange {
  kind: 'VirtualService' | 'DestinationRule';
  namespace: string;
  name: string;
  action: 'patch' | 'create';
  /** empty when created */
  before: string;
  after: string;
  /** after an apply: the object's new resourceVersion */
  resourceVersion?: string;
}

/** The answer to a PUT: a dry run's diff and findings, or what an apply wrote. */
export interface TrafficSplitResult {
  dryRun: boolean;
  /** the VirtualService's resourceVersion: unchanged by a dry run, the new one after an apply */
  resourceVersion: string;
  changes: ObjectChange[];
  /** the findings the VirtualService (and DestinationRule) have with the change */
  findings: Finding[];
  /** after an apply: the split as it is now */
  split?: TrafficSplit;
}

/** A weight problem in words, placed at its route and destination (`details.problems` of a 400). */
export interface WeightProblem {
  protocol: RouteProtocol;
  index: number;
  /** position among the route's weights; absent for the route as a whole */
  destination?: number;
  message: string;
}

/** `details` of the 409 `conflict:resource-version` answer. */
export interface TrafficSplitConflict {
  current: TrafficSplit;
}

export interface HistoryChange {
  /** JSON pointer of the changed field */
  path: string;
  before: unknown;
  after: unknown;
}

/** One recorded write of the VirtualService. */
export interface TrafficSplitHistoryEntry {
  /** ISO time */
  time: string;
  actor: string;
  result: 'applied' | 'conflict' | 'rejected' | 'forbidden' | 'failed';
  resourceVersionBefore: string;
  resourceVersionAfter?: string;
  changes: HistoryChange[];
  message?: string;
}

/** `GET /api/traffic-split/NAMESPACE/VIRTUALSERVICE/history` */
export interface TrafficSplitHistory {
  entries: TrafficSplitHistoryEntry[];
}

export interface TrafficSplitSummary {
  namespace: string;
  name: string;
  hosts: string[];
  gateways: string[];
  routes: { protocol: RouteProtocol; index: number; destinations: SplitDestination[] }[];
  /** some route sends to more than one destination */
  weighted: boolean;
}

/** `GET /api/traffic-split` */
export interface TrafficSplitList {
  items: TrafficSplitSummary[];
  warnings: ApiWarning[];
}
