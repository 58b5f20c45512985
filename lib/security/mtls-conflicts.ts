/**
 * mTLS findings: configuration that cannot work (a DestinationRule sending plaintext to a STRICT
 * port, Istio mTLS to a port with mTLS disabled or without a sidecar), policies that do nothing
 * (no sidecar, a selector matching nothing, port-level modes without a selector or on unknown
 * ports, several policies where Istio uses one), and what traffic shows (PERMISSIVE ports
 * receiving plaintext, PERMISSIVE where everything is mTLS already, refused connections).
 */
import type { ConfigSnapshot, IstioObject } from '../types/mesh-config';
import type { ClientTls, MtlsConflict, ServicePortRef, WorkloadMtls } from '../types/security';
import type { RequestSample } from '../types/telemetry';
import { enforcedModes } from './mtls-matrix';
import { failedConnections } from './observed';
import {
  declaredMode,
  describeOrigin,
  type PeerAuthentications,
  portLevelModes,
} from './peer-authentication';
import { labelsMatch, objectRef, selectorOf } from './spec';

type Conflict = MtlsConflict;

const drRef = (client: ClientTls) =>
  client.destinationRule
    ? [
        {
          kind: 'DestinationRule',
          namespace: client.destinationRule.namespace,
          name: client.destinationRule.name,
        },
      ]
    : [];

const paRef = (workload: WorkloadMtls, port?: number) => {
  const origin = port === undefined ? workload.origin : workload.ports.find((p) => p.port === port)?.origin;
  return origin?.policy ? [{ kind: 'PeerAuthentication', ...origin.policy }] : [];
};

const clients = (client: ClientTls & { service: ServicePortRef }) =>
  `clients ${client.clientNamespace === '*' ? 'in any namespace' : `in ${client.clientNamespace}`}${
    client.subset ? ` routed to subset ${client.subset}` : ''
  } of ${client.service.name}:${client.service.port}`;

/** Conflicts between what clients send and what each workload port accepts. */
function clientServerConflicts(workload: WorkloadMtls, autoMtls: boolean): Conflict[] {
  const found: Conflict[] = [];
  const where = { namespace: workload.namespace, workload: workload.name };
  for (const port of workload.ports) {
    const server = `${workload.namespace}/${workload.name}:${port.port}`;
    for (const client of port.clients) {
      const objects = [...drRef(client), ...paRef(workload, port.port)];
      const dr = client.destinationRule
        ? `DestinationRule ${client.destinationRule.namespace}/${client.destinationRule.name}`
        : '';
      if (workload.sidecar && port.mode === 'STRICT' && client.mode === 'DISABLE') {
        found.push({
          code: 'dr-disable-to-strict',
          severity: 'error',
          message: `${dr} disables TLS for ${clients(client)}, but ${server} is STRICT (${describeOrigin(port.origin)}): their requests are refused`,
          ...where,
          port: port.port,
          objects,
        });
      } else if (
        workload.sidecar &&
        port.mode === 'STRICT' &&
        (client.mode === 'SIMPLE' || client.mode === 'MUTUAL')
      ) {
        found.push({
          code: 'dr-tls-origination-to-strict',
          severity: 'error',
          message: `${dr} originates ${client.mode} TLS for ${clients(client)}; ${server} is STRICT and accepts only Istio mutual TLS (use ISTIO_MUTUAL)`,
          ...where,
          port: port.port,
          objects,
        });
      } else if (workload.sidecar && port.mode === 'DISABLE' && client.mode === 'ISTIO_MUTUAL') {
        found.push({
          code: 'dr-mutual-to-disable',
          severity: 'error',
          message: `${dr} sends Istio mutual TLS for ${clients(client)}, but ${server} has mTLS disabled (${describeOrigin(port.origin)}): the handshake fails`,
          ...where,
          port: port.port,
          objects,
        });
      } else if (workload.sidecar && port.mode === 'DISABLE' && client.mode === 'AUTO' && client.mutual) {
        found.push({
          code: 'auto-mtls-to-disable',
          severity: 'error',
          message: `${server} has mTLS disabled (${describeOrigin(port.origin)}), but auto-mTLS reads only namespace and mesh policies, so ${clients(client)} still send mutual TLS and fail: add a DestinationRule with tls.mode DISABLE for that port`,
          ...where,
          port: port.port,
          objects,
        });
      } else if (!workload.sidecar && client.mode === 'ISTIO_MUTUAL') {
        found.push({
          code: 'dr-mutual-to-no-sidecar',
          severity: 'error',
          message: `${dr} sends Istio mutual TLS for ${clients(client)}, but ${workload.namespace}/${workload.name} has no sidecar to terminate it`,
          ...where,
          port: port.port,
          objects,
        });
      } else if (
        workload.sidecar &&
        port.mode === 'STRICT' &&
        client.mode === 'AUTO' &&
        !client.mutual &&
        !autoMtls
      ) {
        found.push({
          code: 'strict-without-client-mtls',
          severity: 'error',
          message: `auto-mTLS is off and no DestinationRule sets ISTIO_MUTUAL for ${clients(client)}; ${server} is STRICT, so their plaintext is refused`,
          ...where,
          port: port.port,
          objects,
        });
      }
    }
  }
  return found;
}

/** PeerAuthentications that do nothing, or not what they seem to. */
function policyConflicts(
  snapshot: ConfigSnapshot,
  peers: PeerAuthentications,
  workloads: readonly WorkloadMtls[],
  namespaces: readonly string[],
): Conflict[] {
  const found: Conflict[] = [];
  const byNamespace = (namespace: string) => snapshot.workloads.filter((w) => w.namespace === namespace);
  const pas = snapshot.istio.filter(
    (object) =>
      object.kind === 'PeerAuthentication' &&
      (namespaces.includes(object.namespace) || object.namespace === snapshot.rootNamespace),
  );
  for (const policy of pas) {
    const name = `PeerAuthentication ${policy.namespace}/${policy.name}`;
    const base = { namespace: policy.namespace, objects: [objectRef(policy)] };
    const { mode, invalid } = declaredMode(policy.spec.mtls);
    if (invalid !== undefined)
      found.push({
        ...base,
        code: 'unknown-mode',
        severity: 'warning',
        message: `${name} sets mtls.mode ${invalid}, which Istio does not know; it is treated as UNSET`,
      });
    for (const entry of portLevelModes(policy)) {
      if (entry.invalid !== undefined)
        found.push({
          ...base,
          code: 'unknown-mode',
          severity: 'warning',
          port: entry.port,
          message: `${name} sets port ${entry.port} to ${entry.invalid}, which Istio does not know`,
        });
    }
    const selector = selectorOf(policy);
    const levelPorts = portLevelModes(policy);
    if (!selector) {
      if (levelPorts.length > 0)
        found.push({
          ...base,
          code: 'port-level-without-selector',
          severity: 'warning',
          message: `${name} sets portLevelMtls without a selector; Istio applies port-level modes only to policies that select workloads`,
        });
      continue;
    }
    const selected = byNamespace(policy.namespace).filter((workload) =>
      labelsMatch(selector, workload.labels),
    );
    if (selected.length === 0) {
      found.push({
        ...base,
        code: 'selector-matches-nothing',
        severity: 'info',
        message: `${name} selects no workload in ${policy.namespace} (${Object.entries(selector)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')})`,
      });
      continue;
    }
    for (const workload of selected) {
      const view = workloads.find((w) => w.namespace === workload.namespace && w.name === workload.name);
      if (!workload.sidecar && (mode !== 'UNSET' || levelPorts.length > 0))
        found.push({
          ...base,
          code: 'policy-without-sidecar',
          severity: 'warning',
          workload: workload.name,
          message: `${name} selects ${workload.namespace}/${workload.name}, which has no sidecar: nothing enforces it`,
        });
      const known = new Set(
        view?.ports.filter((port) => port.services.length > 0).map((port) => port.port) ?? [],
      );
      for (const entry of levelPorts) {
        if (known.size > 0 && !known.has(entry.port))
          found.push({
            ...base,
            code: 'port-level-unknown-port',
            severity: 'warning',
            workload: workload.name,
            port: entry.port,
            message: `${name} sets port ${entry.port}, which no Service sends to on ${workload.namespace}/${workload.name} (ports ${[...known].join(', ')}); portLevelMtls names the workload's (target) port`,
          });
      }
    }
  }
  const several = (policies: IstioObject[], scope: string, namespace: string) => {
    if (policies.length < 2) return;
    const [used] = policies;
    found.push({
      code: 'several-policies',
      severity: 'warning',
      namespace,
      message: `${policies.length} ${scope} PeerAuthentications (${policies.map((p) => p.name).join(', ')}); Istio uses only the oldest (taken to be ${used?.name})`,
      objects: policies.map(objectRef),
    });
  };
  several(peers.mesh, 'mesh-wide', snapshot.rootNamespace);
  for (const namespace of namespaces) {
    if (namespace !== snapshot.rootNamespace)
      several(peers.namespacePolicies(namespace), 'namespace-wide', namespace);
  }
  for (const workload of snapshot.workloads) {
    if (!namespaces.includes(workload.namespace)) continue;
    const policies = peers.workloadPolicies(workload);
    if (policies.length > 1) several(policies, `workload ${workload.name}`, workload.namespace);
  }
  // STRICT inherited by a workload without a sidecar: its callers still reach it in plaintext.
  for (const workload of workloads) {
    if (workload.sidecar || workload.origin.level === 'workload' || workload.origin.level === 'port')
      continue;
    if (workload.mode !== 'STRICT') continue;
    found.push({
      code: 'policy-without-sidecar',
      severity: 'info',
      namespace: workload.namespace,
      workload: workload.name,
      message: `${workload.namespace}/${workload.name} has no sidecar: the STRICT mode of ${describeOrigin(workload.origin)} is not enforced on it`,
      objects: paRef(workload),
    });
  }
  return found;
}

export function configConflicts(
  snapshot: ConfigSnapshot,
  peers: PeerAuthentications,
  workloads: readonly WorkloadMtls[],
  namespaces: readonly string[],
): MtlsConflict[] {
  const autoMtls = snapshot.mesh?.enableAutoMtls ?? true;
  return [
    ...workloads.flatMap((workload) => clientServerConflicts(workload, autoMtls)),
    ...policyConflicts(snapshot, peers, workloads, namespaces),
  ];
}

const rate = (rps: number) => `${rps >= 10 ? rps.toFixed(0) : rps.toFixed(2)} req/s`;

const callers = (sources: { namespace: string; workload: string; rps: number }[]) =>
  sources
    .map((source) =>
      source.workload === 'unknown'
        ? `callers without a sidecar (${rate(source.rps)})`
        : `${source.namespace}/${source.workload} (${rate(source.rps)})`,
    )
    .join(', ');

/** What traffic over the window says about each workload's mode. */
export function observedConflicts(
  snapshot: ConfigSnapshot,
  workloads: readonly WorkloadMtls[],
  requests: readonly RequestSample[],
): MtlsConflict[] {
  const found: Conflict[] = [];
  for (const workload of workloads) {
    const observed = workload.observed;
    if (!workload.sidecar || !observed || observed.rps <= 0) continue;
    const modes = new Set(enforcedModes(workload));
    const where = { namespace: workload.namespace, workload: workload.name, objects: paRef(workload) };
    const plaintext = observed.rps - observed.mtlsRps;
    const name = `${workload.namespace}/${workload.name}`;
    if (modes.size === 1 && modes.has('PERMISSIVE')) {
      if (plaintext > 0)
        found.push({
          ...where,
          code: 'permissive-receives-plaintext',
          severity: 'warning',
          message: `${name} is PERMISSIVE and received plaintext from ${callers(observed.plaintextSources)}; STRICT would refuse it`,
        });
      else
        found.push({
          ...where,
          code: 'permissive-all-mtls',
          severity: 'info',
          message: `${name} is PERMISSIVE but all ${rate(observed.rps)} it received were mutual TLS: STRICT would change nothing for current callers`,
        });
    } else if (modes.has('STRICT') && !modes.has('PERMISSIVE') && !modes.has('DISABLE') && plaintext > 0) {
      found.push({
        ...where,
        code: 'strict-received-plaintext',
        severity: 'warning',
        message: `${name} is STRICT but received plaintext from ${callers(observed.plaintextSources)} within the window (before the policy took effect?)`,
      });
    }
  }
  const byFqdn = new Map(snapshot.services.map((service) => [service.fqdn, service]));
  for (const failure of failedConnections(requests)) {
    const service = byFqdn.get(failure.service);
    if (!service) continue;
    const strict = workloads.filter(
      (workload) =>
        workload.sidecar &&
        workload.ports.some(
          (port) =>
            port.mode === 'STRICT' &&
            port.services.some((ref) => ref.name === service.name && ref.namespace === service.namespace),
        ),
    );
    if (strict.length === 0) continue;
    found.push({
      code: 'strict-plaintext-failing',
      severity: 'error',
      namespace: service.namespace,
      message: `${failure.source.namespace}/${failure.source.workload} failed to connect to ${service.name} (${rate(failure.rps)}): ${strict.map((w) => w.name).join(', ')} ${strict.length === 1 ? 'is' : 'are'} STRICT and the caller sends plaintext`,
      objects: strict.flatMap((workload) => paRef(workload)),
    });
  }
  return found;
}
