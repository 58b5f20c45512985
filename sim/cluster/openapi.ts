/**
 * OpenAPI v3 documents per group-version: what `kubectl apply/create/replace/edit` check for the
 * `fieldValidation` parameter and what `kubectl explain` reads (k8s-api-surface.md §2.6).
 */
import { createHash } from 'node:crypto';
import type { ResourceRegistry } from './registry';
import { groupVersion } from './resource-type';

const kubernetesVersion = 'v1.32.4';

/** Serves the documents, rebuilding them only when the set of kinds changed. */
export class OpenApiDocuments {
  private revision = -1;
  private documents = new Map<string, { body: string; hash: string }>();

  constructor(private readonly registry: ResourceRegistry) {}

  root() {
    this.refresh();
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const [path, document] of this.documents) {
      paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${document.hash}` };
    }
    return { paths };
  }

  /** The serialized document for `api/v1` or `apis/GROUP/VERSION`. */
  document(path: string): string | undefined {
    this.refresh();
    return this.documents.get(path)?.body;
  }

  private refresh(): void {
    if (this.revision === this.registry.revision) return;
    this.documents = new Map();
    for (const { group, versions } of this.registry.groups()) {
      for (const version of versions) {
        const body = JSON.stringify(openApiDocument(this.registry, group, version));
        const hash = createHash('sha256').update(body).digest('hex').slice(0, 32).toUpperCase();
        this.documents.set(group ? `apis/${group}/${version}` : `api/${version}`, { body, hash });
      }
    }
    this.revision = this.registry.revision;
  }
}

/** `io.istio.networking.v1.VirtualService`, `io.k8s.api.core.v1.Pod` */
function schemaName(group: string, version: string, kind: string): string {
  if (!group) return `io.k8s.api.core.${version}.${kind}`;
  const reversed = group.split('.').reverse().join('.');
  return group.endsWith('.k8s.io') || !group.includes('.')
    ? `io.k8s.api.${group.split('.')[0]}.${version}.${kind}`
    : `${reversed}.${version}.${kind}`;
}

const queryParameters = ['dryRun', 'fieldManager', 'fieldValidation', 'pretty'].map((name) => ({
  name,
  in: 'query',
  schema: { type: 'string', uniqueItems: true },
}));

export function openApiDocument(registry: ResourceRegistry, group: string, version: string) {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const { type, version: info } of registry.inGroupVersion(group, version)) {
    const gvk = { group, version, kind: type.kind };
    const prefix = `/${group ? 'apis' : 'api'}/${groupVersion(group, version)}`;
    const collection = type.namespaced
      ? `${prefix}/namespaces/{namespace}/${type.plural}`
      : `${prefix}/${type.plural}`;
    const reference = { $ref: `#/components/schemas/${schemaName(group, version, type.kind)}` };
    const body = (contentTypes: string[]) => ({
      content: Object.fromEntries(contentTypes.map((contentType) => [contentType, { schema: reference }])),
      required: true,
    });
    const operation = (action: string, extra: Record<string, unknown> = {}) => ({
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      parameters: queryParameters,
      responses: { '200': { description: 'OK', content: { 'application/json': { schema: reference } } } },
      ...extra,
    });
    paths[collection] = {
      get: operation('list'),
      post: operation('post', { requestBody: body(['application/json']) }),
    };
    // Strategic merge patch is deliberately not advertised: without merge-key schemas kubectl warns.
    const patchTypes = [
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/apply-patch+yaml',
    ];
    paths[`${collection}/{name}`] = {
      get: operation('get'),
      put: operation('put', { requestBody: body(['application/json']) }),
      patch: operation('patch', { requestBody: body(patchTypes) }),
      delete: operation('delete'),
    };
    const specSchema = info.schema ?? {
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    };
    schemas[schemaName(group, version, type.kind)] = type.builtIn
      ? {
          type: 'object',
          'x-kubernetes-preserve-unknown-fields': true,
          'x-kubernetes-group-version-kind': [gvk],
        }
      : {
          ...specSchema,
          properties: {
            apiVersion: {
              type: 'string',
              description: 'APIVersion defines the versioned schema of this representation of an object.',
            },
            kind: {
              type: 'string',
              description: 'Kind is a string value representing the REST resource this object represents.',
            },
            metadata: { type: 'object', description: "Standard object's metadata." },
            ...((specSchema.properties as Record<string, unknown> | undefined) ?? {}),
          },
          'x-kubernetes-group-version-kind': [gvk],
        };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: kubernetesVersion },
    paths,
    components: { schemas },
  };
}
