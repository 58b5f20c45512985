/**
 * What the destination sidecar decides before a request reaches the application: whether the
 * connection is mutual TLS (PeerAuthentication on the server, DestinationRule TLS or auto-mTLS on
 * the client) and whether AuthorizationPolicy allows it (CUSTOM, then DENY, then ALLOW).
 */
import type { KubeObject } from '../cluster/types';
import {
  type Json,
  list,
  type MeshConfig,
  type MeshPod,
  principalOf,
  record,
  rootNamespace,
  strings,
} from './mesh-config';

export type PeerMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

function selects(policy: KubeObject, pod: MeshPod): boolean {
  const selector = record(record(policy.spec).selector).matchLabels;
  const labels = record(selector) as Record<string, string>;
  return Object.entries(labels).every(([key, value]) => pod.labels[key] === value);
}

function hasSelector(policy: KubeObject): boolean {
  return Object.keys(record(record(record(policy.spec).selector).matchLabels)).length > 0;
}

function modeOf(value: unknown): PeerMode | undefined {
  const mode = record(value).mode;
  return mode === 'STRICT' || mode === 'PERMISSIVE' || mode === 'DISABLE' ? mode : undefined;
}

const peerModes = new WeakMap<MeshConfig, Map<MeshPod, Map<number, PeerMode>>>();

/**
 * The effective mTLS mode of a server pod's port: workload, then namespace, then mesh-wide policy.
 * Memoised per view (its PeerAuthentications do not change).
 */
export function peerMode(config: MeshConfig, pod: MeshPod, port: number): PeerMode {
  let byPod = peerModes.get(config);
  if (!byPod) {
    byPod = new Map();
    peerModes.set(config, byPod);
  }
  let byPort = byPod.get(pod);
  if (!byPort) {
    byPort = new Map();
    byPod.set(pod, byPort);
  }
  let mode = byPort.get(port);
  if (mode === undefined) {
    mode = computePeerMode(config, pod, port);
    byPort.set(port, mode);
  }
  return mode;
}

function computePeerMode(config: MeshConfig, pod: MeshPod, port: number): PeerMode {
  const inNamespace = config.peerAuthentications.filter(
    (policy) => policy.metadata.namespace === pod.namespace,
  );
  const workload = inNamespace.filter((policy) => hasSelector(policy) && selects(policy, pod)).sort(byAge)[0];
  const namespaceWide = inNamespace.filter((policy) => !hasSelector(policy)).sort(byAge)[0];
  const meshWide = config.peerAuthentications
    .filter((policy) => policy.metadata.namespace === rootNamespace && !hasSelector(policy))
    .sort(byAge)[0];
  if (workload) {
    const portMode = modeOf(record(record(workload.spec).portLevelMtls)[String(port)]);
    if (portMode) return portMode;
  }
  for (const policy of [workload, namespaceWide, meshWide]) {
    const mode = policy ? modeOf(record(policy.spec).mtls) : undefined;
    if (mode) return mode;
  }
  return 'PERMISSIVE';
}

const namespaceDisables = new WeakMap<MeshConfig, Map<string, boolean>>();

/**
 * What auto-mTLS knows of a server: Istio configures clients from namespace- and mesh-wide
 * PeerAuthentication only, so a namespace or mesh set to DISABLE gets plaintext, while a
 * workload-level DISABLE still receives mTLS (and refuses it).
 */
function autoMtlsDisabled(config: MeshConfig, namespace: string): boolean {
  let byNamespace = namespaceDisables.get(config);
  if (!byNamespace) {
    byNamespace = new Map();
    namespaceDisables.set(config, byNamespace);
  }
  let disabled = byNamespace.get(namespace);
  if (disabled === undefined) {
    const wide = (ns: string) =>
      config.peerAuthentications
        .filter((policy) => policy.metadata.namespace === ns && !hasSelector(policy))
        .sort(byAge)[0];
    const modes = [wide(namespace), wide(rootNamespace)].map((policy) =>
      policy ? modeOf(record(policy.spec).mtls) : undefined,
    );
    disabled = modes.find((mode) => mode !== undefined) === 'DISABLE';
    byNamespace.set(namespace, disabled);
  }
  return disabled;
}

function byAge(a: KubeObject, b: KubeObject): number {
  return (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '');
}

export type ConnectionOutcome =
  | { kind: 'ok'; mutualTls: boolean }
  /** the server refused the handshake: STRICT against plaintext, or mTLS offered to a server without a sidecar */
  | { kind: 'refused'; reason: string };

/** What the client sends (DestinationRule TLS mode, else auto-mTLS) against what the server accepts. */
export function connect(
  config: MeshConfig,
  client: MeshPod | undefined,
  server: MeshPod,
  port: number,
  tlsMode: string | undefined,
): ConnectionOutcome {
  const clientSidecar = client?.sidecar ?? false;
  const offersMutual =
    clientSidecar &&
    (tlsMode === 'ISTIO_MUTUAL' ||
      (tlsMode === undefined && server.sidecar && !autoMtlsDisabled(config, server.namespace)));
  if (!server.sidecar) {
    return offersMutual
      ? { kind: 'refused', reason: 'TLS handshake with a server without a sidecar' }
      : { kind: 'ok', mutualTls: false };
  }
  const mode = peerMode(config, server, port);
  if (mode === 'STRICT' && !offersMutual) return { kind: 'refused', reason: 'filter_chain_not_found' };
  if (mode === 'DISABLE' && offersMutual)
    return { kind: 'refused', reason: 'TLS offered to a port with mTLS disabled' };
  return { kind: 'ok', mutualTls: offersMutual };
}

export interface AuthzRequest {
  /** SPIFFE principal of the caller; only present over mutual TLS */
  principal: string | undefined;
  sourceNamespace: string | undefined;
  sourceIp: string;
  method: string;
  path: string;
  port: number;
  host: string;
  headers: Record<string, string>;
}

export type AuthzDecision = { allowed: true } | { allowed: false; policy: string };

function valueMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return value !== '';
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

/**
 * A positive field (e.g. `principals`) matches when absent or when any value matches; a negative one
 * when none does. An absent attribute is in no list, so `notPrincipals: ["*"]` matches plaintext.
 */
function field(values: unknown, negated: unknown, actual: string | undefined): boolean {
  const positive = strings(values);
  const negative = strings(negated);
  if (
    positive.length > 0 &&
    (actual === undefined || !positive.some((pattern) => valueMatches(pattern, actual)))
  )
    return false;
  if (
    negative.length > 0 &&
    actual !== undefined &&
    negative.some((pattern) => valueMatches(pattern, actual))
  )
    return false;
  return true;
}

function ipMatches(blocks: string[], ip: string): boolean {
  return blocks.some((block) => {
    const [base, bits] = block.split('/');
    if (!bits) return base === ip;
    const toNumber = (address: string) =>
      address.split('.').reduce((total, octet) => total * 256 + Number(octet), 0);
    const mask = Number(bits) === 0 ? 0 : 2 ** 32 - 2 ** (32 - Number(bits));
    return (toNumber(ip) & mask) >>> 0 === (toNumber(base ?? '') & mask) >>> 0;
  });
}

function sourceMatches(source: Json, request: AuthzRequest): boolean {
  const serviceAccount = request.principal?.replace(/^spiffe:\/\/[^/]+\/ns\/([^/]+)\/sa\//, '$1/');
  if (!field(source.principals, source.notPrincipals, request.principal?.replace(/^spiffe:\/\//, '')))
    return false;
  if (!field(source.namespaces, source.notNamespaces, request.sourceNamespace)) return false;
  if (!field(source.serviceAccounts, source.notServiceAccounts, serviceAccount)) return false;
  const ipBlocks = strings(source.ipBlocks);
  if (ipBlocks.length > 0 && !ipMatches(ipBlocks, request.sourceIp)) return false;
  const notIpBlocks = strings(source.notIpBlocks);
  if (notIpBlocks.length > 0 && ipMatches(notIpBlocks, request.sourceIp)) return false;
  return true;
}

function operationMatches(operation: Json, request: AuthzRequest): boolean {
  const path = request.path.split('?')[0] ?? '/';
  return (
    field(operation.methods, operation.notMethods, request.method) &&
    field(operation.paths, operation.notPaths, path) &&
    field(operation.ports, operation.notPorts, String(request.port)) &&
    field(operation.hosts, operation.notHosts, request.host)
  );
}

function conditionMatches(condition: Json, request: AuthzRequest): boolean {
  const key = typeof condition.key === 'string' ? condition.key : '';
  const header = /^request\.headers\[(.+)\]$/.exec(key);
  const actual =
    header?.[1] !== undefined
      ? request.headers[header[1].toLowerCase()]
      : key === 'source.namespace'
        ? request.sourceNamespace
        : key === 'source.principal'
          ? request.principal?.replace(/^spiffe:\/\//, '')
          : key === 'source.ip'
            ? request.sourceIp
            : key === 'destination.port'
              ? String(request.port)
              : undefined;
  return field(condition.values, condition.notValues, actual);
}

function ruleMatches(rule: Json, request: AuthzRequest): boolean {
  const from = list(rule.from);
  const to = list(rule.to);
  if (from.length > 0 && !from.some((entry) => sourceMatches(record(entry.source), request))) return false;
  if (to.length > 0 && !to.some((entry) => operationMatches(record(entry.operation), request))) return false;
  return list(rule.when).every((condition) => conditionMatches(condition, request));
}

function policyMatches(policy: KubeObject, request: AuthzRequest): boolean {
  return list(record(policy.spec).rules).some((rule) => ruleMatches(rule, request));
}

interface ApplicablePolicies {
  deny: KubeObject[];
  allow: KubeObject[];
}

const applicablePolicies = new WeakMap<MeshConfig, Map<MeshPod, ApplicablePolicies>>();
const allowed: AuthzDecision = { allowed: true };

/** The DENY and ALLOW policies that select a server pod, memoised per view. */
function policiesFor(config: MeshConfig, server: MeshPod): ApplicablePolicies {
  let byPod = applicablePolicies.get(config);
  if (!byPod) {
    byPod = new Map();
    applicablePolicies.set(config, byPod);
  }
  let found = byPod.get(server);
  if (!found) {
    const applicable = config.authorizationPolicies.filter(
      (policy) =>
        (policy.metadata.namespace === server.namespace || policy.metadata.namespace === rootNamespace) &&
        selects(policy, server),
    );
    const action = (policy: KubeObject) =>
      typeof record(policy.spec).action === 'string' ? (record(policy.spec).action as string) : 'ALLOW';
    found = {
      deny: applicable.filter((candidate) => action(candidate) === 'DENY'),
      allow: applicable.filter((candidate) => action(candidate) === 'ALLOW'),
    };
    byPod.set(server, found);
  }
  return found;
}

/**
 * Whether `authorize` can only allow: no DENY or ALLOW policy selects the server (the engine then
 * skips describing the request).
 */
export function openToAll(config: MeshConfig, server: MeshPod): boolean {
  if (!server.sidecar) return true;
  const policies = policiesFor(config, server);
  return policies.deny.length === 0 && policies.allow.length === 0;
}

/** Istio's evaluation order at the destination sidecar: DENY first, then ALLOW if any applies. */
export function authorize(config: MeshConfig, server: MeshPod, request: AuthzRequest): AuthzDecision {
  if (!server.sidecar) return allowed;
  const { deny, allow } = policiesFor(config, server);
  const name = (policy: KubeObject) => `${policy.metadata.namespace}/${policy.metadata.name}`;
  for (const policy of deny) {
    if (policyMatches(policy, request)) return { allowed: false, policy: name(policy) };
  }
  if (allow.length === 0 || allow.some((policy) => policyMatches(policy, request))) return allowed;
  return { allowed: false, policy: name(allow[0] as KubeObject) };
}

export { principalOf };
