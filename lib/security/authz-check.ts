/**
 * The what-if check: a request from a source (workload, service account, principal, namespace or
 * IP) to a destination workload, decided as the destination's sidecar would. First the connection:
 * what the caller sends (sidecar, DestinationRule, auto-mTLS) against the port's PeerAuthentication
 * mode (STRICT refuses plaintext before any policy runs). Then the AuthorizationPolicies that
 * select the workload, with the peer identity only mutual TLS carries.
 */
import type { ConfigSnapshot, IstioObject, ServiceInfo, WorkloadInfo } from '../types/mesh-config';
import type { AuthzCheckRequest, AuthzCheckResponse } from '../types/security';
import { authorize } from './authz';
import { clientDecision, destinationRuleFor, ruleTls } from './client-tls';
import { servicesOf } from './mtls-matrix';
import { describeOrigin, PeerAuthentications } from './peer-authentication';
import { appliesTo, ofKind, record, records, strings } from './spec';

export type AuthzCheckResult =
  | { ok: true; answer: Omit<AuthzCheckResponse, 'warnings'> }
  | { ok: false; problem: 'not-found'; message: string };

interface Caller {
  principal: string;
  sidecar: boolean;
  ip?: string;
}

function stripSpiffe(principal: string): string {
  return principal.replace(/^spiffe:\/\//, '');
}

/** Who the caller is, filling what the request leaves out from the snapshot (noted). */
function resolveCaller(
  snapshot: ConfigSnapshot,
  source: AuthzCheckRequest['source'],
  notes: string[],
): Caller {
  const trustDomain = snapshot.mesh?.trustDomain ?? 'cluster.local';
  const workload = source.workload
    ? snapshot.workloads.find(
        (candidate) => candidate.namespace === source.namespace && candidate.name === source.workload,
      )
    : undefined;
  let serviceAccount = source.serviceAccount ?? workload?.serviceAccount;
  if (!source.principal && !serviceAccount) {
    serviceAccount = 'default';
    notes.push(`no service account or principal given: assumed service account ${source.namespace}/default`);
  }
  const principal = source.principal
    ? stripSpiffe(source.principal)
    : `${trustDomain}/ns/${source.namespace}/sa/${serviceAccount}`;
  const inNamespace = snapshot.workloads.filter((candidate) => candidate.namespace === source.namespace);
  const withAccount = inNamespace.filter((candidate) => candidate.serviceAccount === serviceAccount);
  let sidecar: boolean;
  if (source.sidecar !== undefined) sidecar = source.sidecar;
  else if (workload) sidecar = workload.sidecar;
  else if (source.principal) sidecar = true;
  else if (withAccount.length > 0) sidecar = withAccount.every((candidate) => candidate.sidecar);
  else if (inNamespace.length > 0 && inNamespace.every((candidate) => !candidate.sidecar)) {
    sidecar = false;
    notes.push(`no workload of ${source.namespace} runs a sidecar: the caller is taken to send plaintext`);
  } else {
    sidecar = true;
    if (inNamespace.some((candidate) => !candidate.sidecar))
      notes.push(
        `some workloads of ${source.namespace} have no sidecar: the caller is taken to have one (set source.sidecar)`,
      );
  }
  const ip = source.ip ?? podIp(snapshot, workload);
  return { principal, sidecar, ...(ip ? { ip } : {}) };
}

function podIp(snapshot: ConfigSnapshot, workload: WorkloadInfo | undefined): string | undefined {
  if (!workload) return undefined;
  return snapshot.pods.find(
    (pod) => pod.namespace === workload.namespace && pod.workload === workload.name && pod.podIP !== '',
  )?.podIP;
}

interface Target {
  port?: number;
  service?: ServiceInfo;
  servicePort?: number;
}

/** The workload port the request lands on (a service port is translated), and the service in front. */
function resolvePort(
  snapshot: ConfigSnapshot,
  workload: WorkloadInfo,
  port: number | undefined,
  notes: string[],
): Target {
  const services = servicesOf(snapshot, workload);
  const entries = services.flatMap((service) => service.ports.map((entry) => ({ service, entry })));
  if (port === undefined) {
    const targets = [...new Set(entries.map(({ entry }) => entry.targetPort))];
    const only = entries[0];
    if (targets.length === 1 && only) {
      notes.push(
        `no port given: used ${only.entry.targetPort}, the only port Services send to on ${workload.name}`,
      );
      return { port: only.entry.targetPort, service: only.service, servicePort: only.entry.port };
    }
    notes.push('no port given and the workload has several (or no) ports: rules on ports cannot match');
    return only ? { service: only.service, servicePort: only.entry.port } : {};
  }
  const byTarget = entries.find(({ entry }) => entry.targetPort === port);
  if (byTarget) return { port, service: byTarget.service, servicePort: byTarget.entry.port };
  const byService = entries.find(({ entry }) => entry.port === port);
  if (byService) {
    notes.push(
      `port ${port} is a port of Service ${byService.service.name}: the workload receives it on ${byService.entry.targetPort}`,
    );
    return { port: byService.entry.targetPort, service: byService.service, servicePort: port };
  }
  return { port };
}

/** Whether any rule of the policy matches on hosts (so an assumed host matters). */
function usesHosts(policy: IstioObject): boolean {
  return records(policy.spec.rules).some((rule) =>
    records(rule.to).some((entry) => {
      const operation = record(entry.operation);
      return strings(operation.hosts).length > 0 || strings(operation.notHosts).length > 0;
    }),
  );
}

export function checkAuthz(snapshot: ConfigSnapshot, request: AuthzCheckRequest): AuthzCheckResult {
  const { destination } = request;
  const workload = snapshot.workloads.find(
    (candidate) => candidate.namespace === destination.namespace && candidate.name === destination.workload,
  );
  if (!workload)
    return {
      ok: false,
      problem: 'not-found',
      message: `No workload ${destination.workload} in namespace ${destination.namespace}`,
    };
  const { source } = request;
  if (
    source.workload &&
    !snapshot.workloads.some((w) => w.namespace === source.namespace && w.name === source.workload)
  )
    return {
      ok: false,
      problem: 'not-found',
      message: `No source workload ${source.workload} in namespace ${source.namespace}`,
    };
  const notes: string[] = [];
  const caller = resolveCaller(snapshot, source, notes);
  const target = resolvePort(snapshot, workload, request.request.port, notes);
  const headers = Object.fromEntries(
    Object.entries(request.request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  let host = request.request.host ?? headers.host ?? headers[':authority'];
  const assumedHost = host === undefined && target.service !== undefined;
  if (host === undefined && target.service) host = target.service.name;
  const destinationIp = snapshot.pods.find(
    (pod) => pod.namespace === workload.namespace && pod.workload === workload.name && pod.podIP !== '',
  )?.podIP;

  if (!workload.sidecar) {
    return {
      ok: true,
      answer: {
        decision: 'ALLOW',
        stage: 'authorization',
        reason: `Allowed: ${workload.namespace}/${workload.name} has no sidecar, so no PeerAuthentication or AuthorizationPolicy is enforced on it.`,
        peer: {
          mtls: false,
          ...(caller.ip ? { ip: caller.ip } : {}),
          ...(target.port ? { port: target.port } : {}),
        },
        trace: [],
        notes,
      },
    };
  }

  // The connection: what the caller sends against what the port accepts.
  const peers = new PeerAuthentications(snapshot);
  const server =
    target.port === undefined ? peers.workloadMode(workload) : peers.portMode(workload, target.port);
  const rule = target.service
    ? destinationRuleFor(snapshot, target.service, request.source.namespace)
    : undefined;
  const client = caller.sidecar
    ? clientDecision(
        rule,
        rule && target.servicePort !== undefined ? ruleTls(rule, target.servicePort) : undefined,
        {
          mode: server.mode,
          namespaceMode: peers.namespaceMode(target.service?.namespace ?? workload.namespace).mode,
          sidecar: true,
        },
        snapshot.mesh?.enableAutoMtls ?? true,
      )
    : { mode: 'AUTO' as const, mutual: false, reason: 'the caller has no sidecar, so it sends plaintext' };
  const mtls = client.mutual && server.mode !== 'DISABLE';
  const peer = {
    mtls,
    ...(mtls
      ? {
          principal: caller.principal,
          namespace: /\/ns\/([^/]+)\//.exec(caller.principal)?.[1] ?? request.source.namespace,
        }
      : {}),
    ...(caller.ip ? { ip: caller.ip } : {}),
    ...(target.port !== undefined ? { port: target.port } : {}),
  };
  const where = `${workload.namespace}/${workload.name}${target.port !== undefined ? `:${target.port}` : ''}`;
  if (server.mode === 'STRICT' && !client.mutual && server.origin.policy) {
    return {
      ok: true,
      answer: {
        decision: 'DENY',
        stage: 'connection',
        policy: { kind: 'PeerAuthentication', ...server.origin.policy },
        reason: `Refused before authorization: ${where} is STRICT (${describeOrigin(server.origin)}) and ${client.reason}. The connection fails; no AuthorizationPolicy is consulted.`,
        peer,
        trace: [],
        notes,
      },
    };
  }
  const culprit = client.destinationRule
    ? {
        kind: 'DestinationRule' as const,
        namespace: client.destinationRule.namespace,
        name: client.destinationRule.name,
      }
    : server.origin.policy
      ? { kind: 'PeerAuthentication' as const, ...server.origin.policy }
      : undefined;
  if (server.mode === 'DISABLE' && client.mutual && culprit) {
    return {
      ok: true,
      answer: {
        decision: 'DENY',
        stage: 'connection',
        policy: culprit,
        reason: `Refused before authorization: ${client.reason}, but ${where} has mTLS disabled (${describeOrigin(server.origin)}): the TLS handshake fails.`,
        peer,
        trace: [],
        notes,
      },
    };
  }

  const policies = ofKind(snapshot, 'AuthorizationPolicy').filter((policy) =>
    appliesTo(policy, workload, snapshot.rootNamespace),
  );
  if (assumedHost && policies.some(usesHosts)) notes.push(`no host given: used ${host}, the Service's name`);
  const result = authorize(
    policies,
    {
      ...(mtls ? { principal: caller.principal } : {}),
      ...(request.source.requestPrincipal ? { requestPrincipal: request.source.requestPrincipal } : {}),
      ...(caller.ip ? { sourceIp: caller.ip } : {}),
      ...(destinationIp ? { destinationIp } : {}),
      method: request.request.method,
      path: request.request.path,
      ...(host ? { host } : {}),
      ...(target.port !== undefined ? { port: target.port } : {}),
      headers,
      protocol: request.request.protocol ?? 'http',
    },
    {
      trustDomain: snapshot.mesh?.trustDomain ?? 'cluster.local',
      aliases: snapshot.mesh?.trustDomainAliases ?? [],
    },
  );
  const connection = mtls
    ? `The caller connects over mutual TLS as ${caller.principal}.`
    : `The caller connects in plaintext (${client.reason}; ${where} is ${server.mode}), so it has no principal or namespace.`;
  return {
    ok: true,
    answer: {
      decision: result.decision,
      stage: 'authorization',
      ...(result.policy ? { policy: { kind: 'AuthorizationPolicy', ...result.policy } } : {}),
      ...(result.rule !== undefined ? { rule: result.rule } : {}),
      reason: `${result.reason} ${connection}`,
      peer,
      trace: result.trace,
      notes: [...notes, ...result.notes],
    },
  };
}
