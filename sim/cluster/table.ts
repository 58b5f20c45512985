/**
 * `meta.k8s.io/v1` Table responses, the format `kubectl get` asks for (research §1.5 "Table").
 * Built-in kinds get kube-apiserver's column sets (pkg/printers/internalversion/printers.go);
 * custom resources get their CRD version's printer columns, evaluated the way apiextensions'
 * `tableconvertor.go` does (JSON text for lists and maps, ages for dates, null for missing values).
 */
import { JSONPath } from 'jsonpath-plus';
import type { PrinterColumn, ResourceType } from './resource-type';
import { isPlainObject, type KubeObject, type ObjectMeta } from './types';

export type TableCell = string | number | boolean | null;

export interface TableColumnDefinition {
  name: string;
  /** `string`, `integer`, `number`, `boolean` or `date` */
  type: string;
  format: string;
  description: string;
  /** 0 = always shown; > 0 = only with `kubectl get -o wide` */
  priority: number;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ObjectMeta;
}

export interface TableRow {
  cells: TableCell[];
  /** absent for `includeObject=None` */
  object?: PartialObjectMetadata | KubeObject;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion: string; continue?: string };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

// ---------------------------------------------------------------------------------------------
// Ages

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;
const year = 365 * day;

/** `value` + `unit`, then `rest` + `restUnit` unless the rest is zero (`5m10s`, `3h`). */
function twoUnits(value: number, unit: string, rest: number, restUnit: string): string {
  return rest === 0 ? `${value}${unit}` : `${value}${unit}${rest}${restUnit}`;
}

/** k8s.io/apimachinery `duration.HumanDuration`; `milliseconds` may be negative (clock skew). */
function humanDuration(milliseconds: number): string {
  const seconds = Math.trunc(milliseconds / second);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(milliseconds / minute);
  if (minutes < 10) return twoUnits(minutes, 'm', seconds % 60, 's');
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(milliseconds / hour);
  if (hours < 8) return twoUnits(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(milliseconds / day);
  if (hours < 24 * 8) return twoUnits(days, 'd', hours % 24, 'h');
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(milliseconds / year);
  if (hours < 24 * 365 * 8) return twoUnits(years, 'y', days % 365, 'd');
  return `${years}y`;
}

/** How long ago `from` was, in kubectl's style (`46s`, `5m10s`, `3h20m`, `2d`, `2y45d`). */
export function formatAge(from: Date | string, now: Date): string {
  const start = typeof from === 'string' ? new Date(from) : from;
  if (Number.isNaN(start.getTime())) return '<invalid>';
  return humanDuration(now.getTime() - start.getTime());
}

/** `translateTimestampSince`: a missing timestamp is `<unknown>`. */
function ageSince(timestamp: unknown, now: Date): string {
  return typeof timestamp === 'string' && timestamp !== '' ? formatAge(timestamp, now) : '<unknown>';
}

// ---------------------------------------------------------------------------------------------
// Reading untyped objects

function record(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(record) : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function count(value: unknown, fallback = 0): number {
  return typeof value === 'number' ? value : fallback;
}

function texts(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function at(object: KubeObject, ...path: string[]): unknown {
  let current: unknown = object;
  for (const key of path) current = record(current)[key];
  return current;
}

function orNone(value: string): string {
  return value === '' ? '<none>' : value;
}

// ---------------------------------------------------------------------------------------------
// Built-in column sets

interface BuiltInColumn extends PrinterColumn {
  cell: (object: KubeObject, now: Date) => TableCell;
}

const nameDescription =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const creationTimestampDescription =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const nameColumn: BuiltInColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: nameDescription,
  cell: (object) => object.metadata.name ?? '',
};

const ageColumn: BuiltInColumn = {
  name: 'Age',
  type: 'string',
  description: creationTimestampDescription,
  cell: (object, now) => ageSince(object.metadata.creationTimestamp, now),
};

function column(
  name: string,
  description: string,
  cell: BuiltInColumn['cell'],
  extra: { type?: string; priority?: number } = {},
): BuiltInColumn {
  return { name, type: extra.type ?? 'string', description, priority: extra.priority ?? 0, cell };
}

const wide = { priority: 1 };

// --- Pod

interface PodSummary {
  ready: number;
  total: number;
  reason: string;
  restarts: number;
  /** when a container last terminated before a restart, if known */
  lastRestart: string;
}

function lastTermination(status: Record<string, unknown>): string {
  return text(record(record(status.lastTerminationState).terminated).finishedAt);
}

function later(a: string, b: string): string {
  if (a === '') return b;
  if (b === '') return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function terminatedReason(terminated: Record<string, unknown>, prefix: string): string {
  if (text(terminated.reason) !== '') return `${prefix}${text(terminated.reason)}`;
  const signal = count(terminated.signal);
  return signal !== 0 ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${count(terminated.exitCode)}`;
}

/**
 * The first init container still holding the pod back, as `Init:…` (undefined once all are done);
 * counts started sidecars (restartable init containers) as ready on the way.
 */
function scanInitContainers(
  pod: KubeObject,
  summary: PodSummary,
  restartable: Set<string>,
): string | undefined {
  const statuses = records(at(pod, 'status', 'initContainerStatuses'));
  const specCount = records(at(pod, 'spec', 'initContainers')).length;
  for (const [index, container] of statuses.entries()) {
    const state = record(container.state);
    const terminated = isPlainObject(state.terminated) ? state.terminated : undefined;
    const waitingReason = text(record(state.waiting).reason);
    if (terminated && count(terminated.exitCode) === 0) continue;
    if (restartable.has(text(container.name)) && container.started === true) {
      if (container.ready === true) summary.ready++;
      continue;
    }
    if (terminated) return terminatedReason(terminated, 'Init:');
    if (waitingReason !== '' && waitingReason !== 'PodInitializing') return `Init:${waitingReason}`;
    return `Init:${index}/${specCount}`;
  }
  return undefined;
}

function initRestarts(pod: KubeObject, counted: (name: string) => boolean, summary: PodSummary): void {
  for (const container of records(at(pod, 'status', 'initContainerStatuses'))) {
    if (!counted(text(container.name))) continue;
    summary.restarts += count(container.restartCount);
    summary.lastRestart = later(summary.lastRestart, lastTermination(container));
  }
}

/** Walks the app containers last to first, so the first troubled container names the reason. */
function applyContainerStatuses(pod: KubeObject, summary: PodSummary): void {
  const statuses = records(at(pod, 'status', 'containerStatuses'));
  let hasRunning = false;
  for (const container of [...statuses].reverse()) {
    summary.restarts += count(container.restartCount);
    summary.lastRestart = later(summary.lastRestart, lastTermination(container));
    const state = record(container.state);
    const waitingReason = text(record(state.waiting).reason);
    if (waitingReason !== '') summary.reason = waitingReason;
    else if (isPlainObject(state.terminated)) summary.reason = terminatedReason(state.terminated, '');
    else if (container.ready === true && isPlainObject(state.running)) {
      hasRunning = true;
      summary.ready++;
    }
  }
  if (summary.reason === 'Completed' && hasRunning) {
    summary.reason = hasCondition(pod, 'Ready') ? 'Running' : 'NotReady';
  }
}

function hasCondition(pod: KubeObject, type: string, reason?: string): boolean {
  return records(at(pod, 'status', 'conditions')).some(
    (condition) =>
      condition.type === type &&
      (reason === undefined ? condition.status === 'True' : condition.reason === reason),
  );
}

function podSummary(pod: KubeObject): PodSummary {
  const initContainers = records(at(pod, 'spec', 'initContainers'));
  const restartable = new Set(
    initContainers.filter((container) => container.restartPolicy === 'Always').map((c) => text(c.name)),
  );
  const phase = text(at(pod, 'status', 'phase'));
  const summary: PodSummary = {
    ready: 0,
    total: records(at(pod, 'spec', 'containers')).length + restartable.size,
    reason: text(at(pod, 'status', 'reason')) || phase,
    restarts: 0,
    lastRestart: '',
  };
  if (hasCondition(pod, 'PodScheduled', 'SchedulingGated')) summary.reason = 'SchedulingGated';
  const init = scanInitContainers(pod, summary, restartable);
  if (init !== undefined) {
    summary.reason = init;
    initRestarts(pod, () => true, summary);
  }
  if (init === undefined || hasCondition(pod, 'Initialized')) {
    summary.restarts = 0;
    summary.lastRestart = '';
    initRestarts(pod, (name) => restartable.has(name), summary);
    applyContainerStatuses(pod, summary);
  }
  if (pod.metadata.deletionTimestamp !== undefined) {
    if (text(at(pod, 'status', 'reason')) === 'NodeLost') summary.reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') summary.reason = 'Terminating';
  }
  return summary;
}

function podRestarts(pod: KubeObject, now: Date): string {
  const { restarts, lastRestart } = podSummary(pod);
  return restarts !== 0 && lastRestart !== ''
    ? `${restarts} (${formatAge(lastRestart, now)} ago)`
    : String(restarts);
}

function readinessGates(pod: KubeObject): string {
  const gates = records(at(pod, 'spec', 'readinessGates'));
  if (gates.length === 0) return '<none>';
  const conditions = records(at(pod, 'status', 'conditions'));
  const passing = gates.filter(
    (gate) => conditions.find((condition) => condition.type === gate.conditionType)?.status === 'True',
  );
  return `${passing.length}/${gates.length}`;
}

const podColumns: BuiltInColumn[] = [
  nameColumn,
  column('Ready', 'The aggregate readiness state of this pod for accepting traffic.', (pod) => {
    const { ready, total } = podSummary(pod);
    return `${ready}/${total}`;
  }),
  column('Status', 'The aggregate status of the containers in this pod.', (pod) => podSummary(pod).reason),
  column(
    'Restarts',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    podRestarts,
  ),
  ageColumn,
  column(
    'IP',
    'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
    (pod) => orNone(text(records(at(pod, 'status', 'podIPs'))[0]?.ip) || text(at(pod, 'status', 'podIP'))),
    wide,
  ),
  column(
    'Node',
    'NodeName indicates in which node this pod is scheduled.',
    (pod) => orNone(text(at(pod, 'spec', 'nodeName'))),
    wide,
  ),
  column(
    'Nominated Node',
    'nominatedNodeName is set only when this pod preempts other pods on the node.',
    (pod) => orNone(text(at(pod, 'status', 'nominatedNodeName'))),
    wide,
  ),
  column(
    'Readiness Gates',
    'If specified, all readiness gates will be evaluated for pod readiness.',
    readinessGates,
    wide,
  ),
];

// --- Service

/** `labels.FormatLabels`: sorted `k=v` pairs, `<none>` when empty. */
function formatLabels(labels: Record<string, unknown>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((key) => `${key}=${text(labels[key])}`);
  return orNone(pairs.join(','));
}

function servicePorts(service: KubeObject): string {
  const ports = records(at(service, 'spec', 'ports')).map((port) => {
    const protocol = text(port.protocol) || 'TCP';
    const nodePort = count(port.nodePort);
    return nodePort > 0 ? `${count(port.port)}:${nodePort}/${protocol}` : `${count(port.port)}/${protocol}`;
  });
  return orNone(ports.join(','));
}

function loadBalancerAddresses(service: KubeObject): string[] {
  return records(at(service, 'status', 'loadBalancer', 'ingress'))
    .map((ingress) => text(ingress.ip) || text(ingress.hostname))
    .filter((address) => address !== '');
}

function serviceExternalIp(service: KubeObject): string {
  const externalIps = texts(at(service, 'spec', 'externalIPs'));
  switch (serviceType(service)) {
    case 'ClusterIP':
    case 'NodePort':
      return orNone(externalIps.join(','));
    case 'LoadBalancer': {
      const addresses = [...loadBalancerAddresses(service), ...externalIps];
      return addresses.length > 0 ? addresses.join(',') : '<pending>';
    }
    case 'ExternalName':
      return text(at(service, 'spec', 'externalName'));
    default:
      return '<unknown>';
  }
}

function serviceType(service: KubeObject): string {
  return text(at(service, 'spec', 'type')) || 'ClusterIP';
}

const serviceColumns: BuiltInColumn[] = [
  nameColumn,
  column('Type', 'type determines how the Service is exposed.', serviceType),
  column('Cluster-IP', 'clusterIP is the IP address of the service.', (service) =>
    orNone(texts(at(service, 'spec', 'clusterIPs'))[0] ?? text(at(service, 'spec', 'clusterIP'))),
  ),
  column(
    'External-IP',
    'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
    serviceExternalIp,
  ),
  column('Port(s)', 'The list of ports that are exposed by this service.', servicePorts),
  ageColumn,
  column(
    'Selector',
    'Route service traffic to pods with label keys and values matching this selector.',
    (service) => formatLabels(record(at(service, 'spec', 'selector'))),
    wide,
  ),
];

// --- Workloads

/** `metav1.LabelSelectorAsSelector(...).String()`: requirements sorted by key. */
function formatLabelSelector(selector: Record<string, unknown>): string {
  const labels = record(selector.matchLabels);
  const requirements = Object.keys(labels).map((key) => ({ key, text: `${key}=${text(labels[key])}` }));
  for (const expression of records(selector.matchExpressions)) {
    const key = text(expression.key);
    const values = texts(expression.values).sort().join(',');
    const operators: Record<string, string> = {
      In: `${key} in (${values})`,
      NotIn: `${key} notin (${values})`,
      Exists: key,
      DoesNotExist: `!${key}`,
    };
    requirements.push({ key, text: operators[text(expression.operator)] ?? key });
  }
  return requirements
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((requirement) => requirement.text)
    .join(',');
}

function templateContainers(workload: KubeObject): Record<string, unknown>[] {
  return records(at(workload, 'spec', 'template', 'spec', 'containers'));
}

const workloadWideColumns: BuiltInColumn[] = [
  column(
    'Containers',
    'Names of each container in the template.',
    (workload) =>
      templateContainers(workload)
        .map((container) => text(container.name))
        .join(','),
    wide,
  ),
  column(
    'Images',
    'Images referenced by each container in the template.',
    (workload) =>
      templateContainers(workload)
        .map((container) => text(container.image))
        .join(','),
    wide,
  ),
  column(
    'Selector',
    'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
    (workload) => formatLabelSelector(record(at(workload, 'spec', 'selector'))),
    wide,
  ),
];

/** `spec.replicas`, which the API server defaults to 1 */
function desiredReplicas(workload: KubeObject): number {
  return count(at(workload, 'spec', 'replicas'), 1);
}

const integer = { type: 'integer' };

const deploymentColumns: BuiltInColumn[] = [
  nameColumn,
  column(
    'Ready',
    'Number of the pod with ready state',
    (deployment) => `${count(at(deployment, 'status', 'readyReplicas'))}/${desiredReplicas(deployment)}`,
  ),
  column(
    'Up-to-date',
    'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
    (deployment) => count(at(deployment, 'status', 'updatedReplicas')),
    integer,
  ),
  column(
    'Available',
    'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
    (deployment) => count(at(deployment, 'status', 'availableReplicas')),
    integer,
  ),
  ageColumn,
  ...workloadWideColumns,
];

const replicaSetColumns: BuiltInColumn[] = [
  nameColumn,
  column('Desired', 'Number of desired pods.', desiredReplicas, integer),
  column(
    'Current',
    'Replicas is the most recently observed number of replicas.',
    (replicaSet) => count(at(replicaSet, 'status', 'replicas')),
    integer,
  ),
  column(
    'Ready',
    'The number of ready replicas for this replica set.',
    (replicaSet) => count(at(replicaSet, 'status', 'readyReplicas')),
    integer,
  ),
  ageColumn,
  ...workloadWideColumns,
];

// --- Small core kinds

/** `formatEndpoints`: up to three `ip:port` pairs, then `+ N more...`. */
function formatEndpoints(endpoints: KubeObject): string {
  const subsets = records(endpoints.subsets);
  if (subsets.length === 0) return '<none>';
  const all: string[] = [];
  for (const subset of subsets) {
    const ips = records(subset.addresses).map((address) => text(address.ip));
    const ports = records(subset.ports);
    if (ports.length === 0) all.push(...ips);
    for (const port of ports) {
      all.push(...ips.map((ip) => `${ip.includes(':') ? `[${ip}]` : ip}:${count(port.port)}`));
    }
  }
  const shown = all.slice(0, 3).join(',');
  return all.length > 3 ? `${shown} + ${all.length - 3} more...` : shown;
}

function keyCount(value: unknown): number {
  return Object.keys(record(value)).length;
}

const namespaceColumns: BuiltInColumn[] = [
  nameColumn,
  column('Status', 'The status of the namespace', (namespace) => text(at(namespace, 'status', 'phase'))),
  ageColumn,
];

const endpointsColumns: BuiltInColumn[] = [
  nameColumn,
  column('Endpoints', 'Endpoints of the service', formatEndpoints),
  ageColumn,
];

const configMapColumns: BuiltInColumn[] = [
  nameColumn,
  column(
    'Data',
    'Data contains the configuration data.',
    (configMap) => keyCount(configMap.data) + keyCount(configMap.binaryData),
    integer,
  ),
  ageColumn,
];

const secretColumns: BuiltInColumn[] = [
  nameColumn,
  column('Type', 'Used to facilitate programmatic handling of secret data.', (secret) => text(secret.type)),
  column('Data', 'Data contains the secret data.', (secret) => keyCount(secret.data), integer),
  ageColumn,
];

const serviceAccountColumns: BuiltInColumn[] = [
  nameColumn,
  column(
    'Secrets',
    'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
    (account) => records(account.secrets).length,
    integer,
  ),
  ageColumn,
];

// --- Event

/** `firstTimestamp`, else the `eventTime` the newer events API sets. */
function firstSeen(event: KubeObject, now: Date): string {
  return ageSince(text(event.firstTimestamp) || text(event.eventTime), now);
}

function lastSeen(event: KubeObject, now: Date): string {
  const series = record(event.series);
  if (isPlainObject(event.series)) return ageSince(series.lastObservedTime, now);
  return text(event.lastTimestamp) !== '' ? ageSince(event.lastTimestamp, now) : firstSeen(event, now);
}

function eventObject(event: KubeObject): string {
  const involved = record(event.involvedObject);
  const kind = text(involved.kind).toLowerCase();
  return text(involved.name) !== '' ? `${kind}/${text(involved.name)}` : kind;
}

function eventSource(event: KubeObject): string {
  const source = record(event.source);
  const component = text(source.component) || text(event.reportingComponent);
  const instance = text(source.host) || text(event.reportingInstance);
  return instance === '' ? component : `${component}, ${instance}`;
}

function eventCount(event: KubeObject): number {
  if (isPlainObject(event.series)) return count(event.series.count);
  return count(event.count) || 1;
}

const eventColumns: BuiltInColumn[] = [
  column('Last Seen', 'The time at which the most recent occurrence of this event was recorded.', lastSeen),
  column('Type', 'Type of this event (Normal, Warning), new types could be added in the future', (event) =>
    text(event.type),
  ),
  column(
    'Reason',
    "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    (event) => text(event.reason),
  ),
  column('Object', 'The object that this event is about.', eventObject),
  column(
    'Subobject',
    'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].',
    (event) => text(at(event, 'involvedObject', 'fieldPath')),
    wide,
  ),
  column(
    'Source',
    'The component reporting this event. Should be a short machine understandable string.',
    eventSource,
    wide,
  ),
  column('Message', 'A human-readable description of the status of this operation.', (event) =>
    text(event.message).trim(),
  ),
  column(
    'First Seen',
    'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
    firstSeen,
    wide,
  ),
  column('Count', 'The number of times this event has occurred.', eventCount, wide),
  { ...nameColumn, priority: 1 },
];

// --- CustomResourceDefinition (the generic `DefaultTableConvertor`)

/** Go's `time.RFC3339` in UTC, without fractional seconds; a missing time is Go's zero time. */
function rfc3339(timestamp: unknown): string {
  const parsed = Date.parse(text(timestamp));
  if (Number.isNaN(parsed)) return '0001-01-01T00:00:00Z';
  return new Date(parsed).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const crdColumns: BuiltInColumn[] = [
  nameColumn,
  {
    name: 'Created At',
    type: 'date',
    description: creationTimestampDescription,
    cell: (crd) => rfc3339(crd.metadata.creationTimestamp),
  },
];

const builtInColumnSets: Record<string, BuiltInColumn[]> = {
  Pod: podColumns,
  Service: serviceColumns,
  Deployment: deploymentColumns,
  ReplicaSet: replicaSetColumns,
  Namespace: namespaceColumns,
  Endpoints: endpointsColumns,
  ConfigMap: configMapColumns,
  Secret: secretColumns,
  ServiceAccount: serviceAccountColumns,
  Event: eventColumns,
  CustomResourceDefinition: crdColumns,
};

const fallbackColumns: BuiltInColumn[] = [nameColumn, ageColumn];

function printerColumn({ cell: _cell, ...columnDefinition }: BuiltInColumn): PrinterColumn {
  return columnDefinition;
}

/** The server-side column set of a built-in kind, or undefined for kinds without one (they get Name, Age). */
export function builtInColumns(kind: string): PrinterColumn[] | undefined {
  return builtInColumnSets[kind]?.map(printerColumn);
}

/** One row's cells for a built-in kind, in the order of `builtInColumns(kind)` (Name, Age if unknown). */
export function builtInCells(kind: string, object: KubeObject, now: Date): TableCell[] {
  return (builtInColumnSets[kind] ?? fallbackColumns).map((columnSpec) => columnSpec.cell(object, now));
}

// ---------------------------------------------------------------------------------------------
// Custom resource columns

/** Go's `json.Marshal` of decoded JSON: sorted map keys and HTML-safe escapes. */
function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (isPlainObject(value)) {
    const members = Object.keys(value)
      .sort()
      .map((key) => `${goJson(key)}:${goJson(value[key])}`);
    return `{${members.join(',')}}`;
  }
  return (JSON.stringify(value) ?? 'null')
    .replaceAll('<', '\\u003c')
    .replaceAll('>', '\\u003e')
    .replaceAll('&', '\\u0026')
    .replaceAll('\u2028', '\\u2028')
    .replaceAll('\u2029', '\\u2029');
}

const rfc3339Pattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function dateCell(value: unknown, now: Date): TableCell {
  if (typeof value !== 'string') return null;
  if (value === '' || value === 'null') return '<unknown>';
  return rfc3339Pattern.test(value) ? formatAge(value, now) : '<invalid>';
}

/** `cellForJSONValue` plus jsonpath's `PrintResults` for string columns. */
function customCell(type: string, value: unknown, now: Date): TableCell {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return goJson(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return dateCell(value, now);
    default:
      return null;
  }
}

/** Reads the first value a column's JSONPath finds in an object, or undefined. */
type ValueReader = (object: KubeObject) => unknown;

/** `.name` and `[index]` steps only: what most printer columns use (`.spec.hosts`, `.status.conditions[0].type`). */
const simplePathPattern = /^(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*$/;
const simpleStepPattern = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g;

/**
 * The property lookups a simple path stands for, with jsonpath-plus's semantics (it follows a step
 * when the value is truthy and has the key as an own property), or undefined for other paths.
 */
function simplePathReader(jsonPath: string): ValueReader | undefined {
  if (!simplePathPattern.test(jsonPath)) return undefined;
  const steps = [...jsonPath.matchAll(simpleStepPattern)].map((match) => match[1] ?? match[2] ?? '');
  return (object) => {
    let value: unknown = object;
    for (const step of steps) {
      if (!value || !Object.hasOwn(value as object, step)) return undefined;
      value = (value as Record<string, unknown>)[step];
    }
    return value;
  };
}

/** The first value a CRD-style JSONPath (`.spec.hosts`) finds, by jsonpath-plus, or undefined. */
function firstMatch(object: KubeObject, jsonPath: string): unknown {
  try {
    const results: unknown = JSONPath({ path: `$${jsonPath}`, json: object, wrap: true, eval: 'safe' });
    return Array.isArray(results) ? results[0] : undefined;
  } catch {
    return undefined;
  }
}

/** Each printer column's reader, compiled once per column (a CRD update brings new column objects). */
const columnReaders = new WeakMap<PrinterColumn, ValueReader>();

function columnReader(printer: PrinterColumn): ValueReader {
  let reader = columnReaders.get(printer);
  if (!reader) {
    const jsonPath = printer.jsonPath ?? '';
    reader = simplePathReader(jsonPath) ?? ((object) => firstMatch(object, jsonPath));
    columnReaders.set(printer, reader);
  }
  return reader;
}

const defaultAgeColumn: PrinterColumn = {
  name: 'Age',
  type: 'date',
  description: creationTimestampDescription,
  jsonPath: '.metadata.creationTimestamp',
};

/** The version's printer columns, or `Age` when it declares none (`serveDefaultColumnsIfEmpty`). */
function customPrinterColumns(type: ResourceType, version: string): PrinterColumn[] {
  const columns = type.versions.find((entry) => entry.name === version)?.printerColumns ?? [];
  return columns.length > 0 ? columns : [defaultAgeColumn];
}

function customColumnDefinition(printer: PrinterColumn): TableColumnDefinition {
  const fallback = `Custom resource definition column (in JSONPath format): ${printer.jsonPath ?? ''}`;
  return { ...definition(printer), description: printer.description || fallback };
}

// ---------------------------------------------------------------------------------------------
// The Table

interface ColumnSet {
  definitions: TableColumnDefinition[];
  cells: (object: KubeObject, now: Date) => TableCell[];
}

function definition(printer: PrinterColumn): TableColumnDefinition {
  return {
    name: printer.name,
    type: printer.type,
    format: printer.format ?? '',
    description: printer.description ?? '',
    priority: printer.priority ?? 0,
  };
}

function builtInColumnSet(kind: string): ColumnSet {
  const columns = builtInColumnSets[kind] ?? fallbackColumns;
  return {
    definitions: columns.map(definition),
    cells: (object, now) => columns.map((columnSpec) => columnSpec.cell(object, now)),
  };
}

function customColumnSet(type: ResourceType, version: string): ColumnSet {
  const printers = customPrinterColumns(type, version);
  const columns = printers.map((printer) => ({ type: printer.type, read: columnReader(printer) }));
  return {
    definitions: [definition(nameColumn), ...printers.map(customColumnDefinition)],
    cells: (object, now) => [
      object.metadata.name ?? '',
      ...columns.map((column) => customCell(column.type, column.read(object), now)),
    ],
  };
}

function rowObject(object: KubeObject, includeObject: IncludeObject): TableRow['object'] {
  if (includeObject === 'None') return undefined;
  if (includeObject === 'Object') return object;
  const { managedFields: _managedFields, ...metadata } = object.metadata;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata };
}

export interface BuildTableOptions {
  type: ResourceType;
  /** the version the client asked for; selects a custom resource's printer columns */
  version: string;
  objects: KubeObject[];
  resourceVersion: string;
  continueToken?: string;
  includeObject: IncludeObject;
  now: Date;
}

/** The `meta.k8s.io/v1` Table for a list (or a single object / watch event, as a one-row table). */
export function buildTable(options: BuildTableOptions): Table {
  const { type, objects, includeObject, now } = options;
  const columnSet = type.builtIn ? builtInColumnSet(type.kind) : customColumnSet(type, options.version);
  const rows = objects.map((object): TableRow => {
    const row: TableRow = { cells: columnSet.cells(object, now) };
    const attached = rowObject(object, includeObject);
    if (attached) row.object = attached;
    return row;
  });
  const metadata: Table['metadata'] = { resourceVersion: options.resourceVersion };
  if (options.continueToken) metadata.continue = options.continueToken;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: columnSet.definitions,
    rows,
  };
}
