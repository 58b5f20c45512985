import type { GraphQuery } from './graph-params';
import type { AuthzCheckRequest } from './types/security';

/**
 * Query keys, one builder per area, hierarchical so that invalidating a prefix
 * (`queryKeys.namespaces.all`) refreshes everything below it.
 */
export const queryKeys = {
  namespaces: {
    all: ['namespaces'] as const,
    list: () => [...queryKeys.namespaces.all, 'list'] as const,
  },
  graph: {
    all: ['graph'] as const,
    detail: (query: GraphQuery) =>
      [
        ...queryKeys.graph.all,
        {
          namespaces: query.namespaces,
          graphType: query.graphType,
          duration: query.duration,
          idle: query.idle,
        },
      ] as const,
  },
  status: {
    all: ['status'] as const,
  },
  trafficSplit: {
    all: ['traffic-split'] as const,
    list: (filter: { namespace?: string; service?: string; all: boolean }) =>
      [...queryKeys.trafficSplit.all, 'list', filter] as const,
    detail: (namespace: string, name: string) =>
      [...queryKeys.trafficSplit.all, 'detail', namespace, name] as const,
    history: (namespace: string, name: string) =>
      [...queryKeys.trafficSplit.detail(namespace, name), 'history'] as const,
  },
  overview: {
    all: ['overview'] as const,
  },
  validations: {
    all: ['validations'] as const,
    list: (namespaces: readonly string[], summary: boolean) =>
      [...queryKeys.validations.all, { namespaces, summary }] as const,
    preview: (draft: string) => [...queryKeys.validations.all, 'preview', draft] as const,
  },
  config: {
    all: ['config'] as const,
    list: (filter: { namespaces: readonly string[]; kind: string }) =>
      [...queryKeys.config.all, 'list', filter] as const,
    object: (kind: string, namespace: string, name: string) =>
      [...queryKeys.config.all, 'object', kind, namespace, name] as const,
    schema: (kind: string, apiVersion: string) =>
      [...queryKeys.config.all, 'schema', kind, apiVersion] as const,
  },
  resilience: {
    all: ['resilience'] as const,
    list: (namespaces: readonly string[], duration: string) =>
      [...queryKeys.resilience.all, 'list', { namespaces, duration }] as const,
    detail: (namespace: string, service: string, duration: string) =>
      [...queryKeys.resilience.all, 'detail', namespace, service, { duration }] as const,
    policy: (namespace: string, service: string) =>
      [...queryKeys.resilience.all, 'policy', namespace, service] as const,
  },
  security: {
    all: ['security'] as const,
    mtls: (namespaces: readonly string[]) => [...queryKeys.security.all, 'mtls', { namespaces }] as const,
    /** every namespace's lock, configuration only (header and overview) */
    locks: () => [...queryKeys.security.all, 'locks'] as const,
    policies: (namespaces: readonly string[]) =>
      [...queryKeys.security.all, 'policies', { namespaces }] as const,
    check: (request: AuthzCheckRequest) => [...queryKeys.security.all, 'check', request] as const,
  },
  workloads: {
    all: ['workloads'] as const,
    list: (namespaces: readonly string[], duration: number) =>
      [...queryKeys.workloads.all, 'list', { namespaces, duration }] as const,
    detail: (namespace: string, name: string) =>
      [...queryKeys.workloads.all, 'detail', namespace, name] as const,
    series: (query: { namespace: string; kind: string; name: string; direction: string; duration: number }) =>
      [...queryKeys.workloads.all, 'series', query] as const,
    proxyConfig: (namespace: string, pod: string) =>
      [...queryKeys.workloads.all, 'proxy-config', namespace, pod] as const,
    logs: (namespace: string, pod: string, filter: { tail: number; code: string; flag: string }) =>
      [...queryKeys.workloads.all, 'logs', namespace, pod, filter] as const,
  },
  services: {
    all: ['services'] as const,
    list: (namespaces: readonly string[], duration: number) =>
      [...queryKeys.services.all, 'list', { namespaces, duration }] as const,
    detail: (namespace: string, name: string, duration: number) =>
      [...queryKeys.services.all, 'detail', namespace, name, { duration }] as const,
  },
  gateways: {
    all: ['gateways'] as const,
    list: (namespaces: readonly string[], duration: number) =>
      [...queryKeys.gateways.all, 'list', { namespaces, duration }] as const,
    serviceEntries: (namespaces: readonly string[], duration: number) =>
      [...queryKeys.gateways.all, 'serviceentries', { namespaces, duration }] as const,
  },
};
