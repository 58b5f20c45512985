/** The built-in kinds the simulated API server serves, with kube-apiserver's names and verbs. */
import { allVerbs, type ResourceType } from './resource-type';

interface BuiltInSpec {
  group?: string;
  version?: string;
  plural: string;
  kind: string;
  namespaced?: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  subresources?: string[];
  hasGeneration?: boolean;
}

function builtIn(spec: BuiltInSpec): ResourceType {
  return {
    group: spec.group ?? '',
    versions: [{ name: spec.version ?? 'v1', served: true, storage: true, printerColumns: [] }],
    plural: spec.plural,
    singular: spec.kind.toLowerCase(),
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    namespaced: spec.namespaced ?? true,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    verbs: spec.verbs ?? allVerbs,
    subresources: spec.subresources ?? [],
    builtIn: true,
    omitKindInListItems: true,
    hasGeneration: spec.hasGeneration ?? false,
  };
}

const createOnly = ['create'];

export function builtInTypes(): ResourceType[] {
  return [
    builtIn({
      plural: 'namespaces',
      kind: 'Namespace',
      namespaced: false,
      shortNames: ['ns'],
      subresources: ['status', 'finalize'],
    }),
    builtIn({
      plural: 'pods',
      kind: 'Pod',
      shortNames: ['po'],
      categories: ['all'],
      subresources: ['status', 'log', 'proxy', 'portforward', 'exec'],
    }),
    builtIn({
      plural: 'services',
      kind: 'Service',
      shortNames: ['svc'],
      categories: ['all'],
      subresources: ['status', 'proxy'],
    }),
    builtIn({ plural: 'endpoints', kind: 'Endpoints', shortNames: ['ep'] }),
    builtIn({
      plural: 'serviceaccounts',
      kind: 'ServiceAccount',
      shortNames: ['sa'],
      subresources: ['token'],
    }),
    builtIn({ plural: 'configmaps', kind: 'ConfigMap', shortNames: ['cm'] }),
    builtIn({ plural: 'secrets', kind: 'Secret' }),
    builtIn({ plural: 'events', kind: 'Event', shortNames: ['ev'] }),
    builtIn({
      plural: 'nodes',
      kind: 'Node',
      namespaced: false,
      shortNames: ['no'],
      subresources: ['status', 'proxy'],
    }),
    builtIn({
      group: 'apps',
      plural: 'deployments',
      kind: 'Deployment',
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: ['status', 'scale'],
      hasGeneration: true,
    }),
    builtIn({
      group: 'apps',
      plural: 'replicasets',
      kind: 'ReplicaSet',
      shortNames: ['rs'],
      categories: ['all'],
      subresources: ['status', 'scale'],
      hasGeneration: true,
    }),
    builtIn({ group: 'discovery.k8s.io', plural: 'endpointslices', kind: 'EndpointSlice' }),
    builtIn({
      group: 'apiextensions.k8s.io',
      plural: 'customresourcedefinitions',
      kind: 'CustomResourceDefinition',
      namespaced: false,
      shortNames: ['crd', 'crds'],
      categories: ['api-extensions'],
      subresources: ['status'],
      hasGeneration: true,
    }),
    builtIn({
      group: 'authorization.k8s.io',
      plural: 'selfsubjectaccessreviews',
      kind: 'SelfSubjectAccessReview',
      namespaced: false,
      verbs: createOnly,
    }),
    builtIn({
      group: 'authorization.k8s.io',
      plural: 'selfsubjectrulesreviews',
      kind: 'SelfSubjectRulesReview',
      namespaced: false,
      verbs: createOnly,
    }),
    builtIn({
      group: 'authentication.k8s.io',
      plural: 'tokenreviews',
      kind: 'TokenReview',
      namespaced: false,
      verbs: createOnly,
    }),
    builtIn({
      group: 'authentication.k8s.io',
      plural: 'selfsubjectreviews',
      kind: 'SelfSubjectReview',
      namespaced: false,
      verbs: createOnly,
    }),
  ];
}

/** Kinds whose objects are computed per request and never stored (reviews). */
export function isReviewKind(group: string): boolean {
  return group === 'authorization.k8s.io' || group === 'authentication.k8s.io';
}
