/** The verbs on resource collections and objects: list/watch/get/create/update/patch/delete. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimulatedCluster } from '../cluster/cluster';
import type { PatchType, WriteOptions } from '../cluster/operations';
import type { ResourceType } from '../cluster/resource-type';
import { groupVersion } from '../cluster/resource-type';
import { defaultFieldSelectorSupport, parseFieldSelector, parseLabelSelector } from '../cluster/selectors';
import { statusErrors } from '../cluster/status-error';
import { type ListPosition, listPosition } from '../cluster/store';
import { buildTable } from '../cluster/table';
import { isPlainObject, type KubeObject } from '../cluster/types';
import { parseBody, readBody, sendJson } from './http-util';
import type { ResourceTarget } from './request-target';
import { serveWatch, type WatchRegistry } from './watch';

/** Built-in kinds whose DELETE answers a Status rather than the object (per their OpenAPI). */
const deleteReturnsStatus = new Set([
  'configmaps',
  'secrets',
  'endpoints',
  'endpointslices',
  'deployments',
  'replicasets',
]);

const patchTypes: Record<string, PatchType> = {
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export interface RequestContext {
  cluster: SimulatedCluster;
  watches: WatchRegistry;
  request: IncomingMessage;
  response: ServerResponse;
  query: URLSearchParams;
}

function wantsTable(request: IncomingMessage): boolean {
  return (request.headers.accept ?? '').split(',').some((entry) => entry.includes('as=Table'));
}

function includeObject(query: URLSearchParams): 'None' | 'Metadata' | 'Object' {
  const value = query.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

export function writeOptions(query: URLSearchParams, version: string): WriteOptions {
  const dryRun = query.getAll('dryRun');
  if (dryRun.some((value) => value !== 'All'))
    throw statusErrors.badRequest(`Invalid dry run value: ${dryRun.join(',')}`);
  const options: WriteOptions = { dryRun: dryRun.length > 0, version };
  const manager = query.get('fieldManager');
  if (manager) options.fieldManager = manager;
  return options;
}

/** The list's label and field selectors as one predicate, or undefined when it has neither. */
function selectorFor(
  type: ResourceType,
  query: URLSearchParams,
): ((object: KubeObject) => boolean) | undefined {
  const labelSelector = query.get('labelSelector') ?? '';
  const fieldSelector = query.get('fieldSelector') ?? '';
  if (labelSelector === '' && fieldSelector === '') return undefined;
  const labels = parseLabelSelector(labelSelector);
  const fields = parseFieldSelector(fieldSelector, defaultFieldSelectorSupport(type.kind));
  return (object) => labels(object.metadata.labels) && fields(object);
}

const matchEverything = () => true;

/** What a continue token carries: the list's resourceVersion and where the next page starts. */
interface ContinueToken {
  resourceVersion: string;
  /** the last item served, as a (namespace, name) pair: lists are ordered by namespace, then name */
  after: ListPosition;
}

function encodeContinue(resourceVersion: string, last: KubeObject): string {
  const { namespace, name } = listPosition(last);
  return Buffer.from(JSON.stringify({ resourceVersion, namespace, name })).toString('base64url');
}

function decodeContinue(token: string, oldest: number): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !isPlainObject(parsed) ||
    typeof parsed.resourceVersion !== 'string' ||
    typeof parsed.namespace !== 'string' ||
    typeof parsed.name !== 'string'
  ) {
    throw statusErrors.badRequest('continue key is not valid: illegal base64 data');
  }
  if (Number(parsed.resourceVersion) < oldest) {
    throw statusErrors.expired(
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
    );
  }
  return {
    resourceVersion: parsed.resourceVersion,
    after: { namespace: parsed.namespace, name: parsed.name },
  };
}

export function handleList(context: RequestContext, target: ResourceTarget): void {
  const { cluster, query, request, response } = context;
  const { type } = target.resolved;
  const matches = selectorFor(type, query);
  if (query.get('watch') === 'true' || query.get('watch') === '1') {
    const table = wantsTable(request);
    const timeout = query.get('timeoutSeconds');
    serveWatch(
      cluster,
      context.watches,
      {
        type,
        version: target.version,
        namespace: target.namespace,
        resourceVersion: query.get('resourceVersion') ?? undefined,
        matches: matches ?? matchEverything,
        timeoutSeconds: timeout ? Number(timeout) : undefined,
        allowBookmarks: query.get('allowWatchBookmarks') === 'true',
        render: table
          ? (object) =>
              buildTable({
                type,
                version: target.version,
                objects: [object],
                resourceVersion: object.metadata.resourceVersion ?? '',
                includeObject: includeObject(query),
                now: new Date(),
              })
          : (object) => object,
      },
      response,
    );
    return;
  }
  const continueParam = query.get('continue');
  const token = continueParam
    ? decodeContinue(continueParam, cluster.store.oldestResourceVersion)
    : undefined;
  const resourceVersion = token?.resourceVersion ?? String(cluster.store.resourceVersion);
  const limit = Math.max(0, Math.floor(Number(query.get('limit') ?? 0))) || 0;
  const page = cluster.operations.listPage(type, target.namespace, { after: token?.after, limit, matches });
  const items = page.items;
  const last = items[items.length - 1];
  const continueToken = page.more && last ? encodeContinue(resourceVersion, last) : undefined;
  if (wantsTable(request)) {
    const tableOptions = {
      type,
      version: target.version,
      objects: items,
      resourceVersion,
      includeObject: includeObject(query),
      now: new Date(),
    };
    sendJson(response, 200, buildTable(continueToken ? { ...tableOptions, continueToken } : tableOptions));
    return;
  }
  const apiVersion = groupVersion(type.group, target.version);
  const metadata: Record<string, unknown> = { resourceVersion };
  if (continueToken) metadata.continue = continueToken;
  if (page.remaining !== undefined) metadata.remainingItemCount = page.remaining;
  const rendered = items.map((item) =>
    type.omitKindInListItems ? stripKind(item) : cluster.operations.present(type, target.version, item),
  );
  sendJson(response, 200, { kind: type.listKind, apiVersion, metadata, items: rendered });
}

function stripKind(object: KubeObject): KubeObject {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = object;
  return rest as KubeObject;
}

function respondObject(
  context: RequestContext,
  target: ResourceTarget,
  status: number,
  object: KubeObject,
): void {
  const { type } = target.resolved;
  if (wantsTable(context.request)) {
    sendJson(
      context.response,
      status,
      buildTable({
        type,
        version: target.version,
        objects: [object],
        resourceVersion: object.metadata.resourceVersion ?? '',
        includeObject: includeObject(context.query),
        now: new Date(),
      }),
    );
    return;
  }
  sendJson(context.response, status, context.cluster.operations.present(type, target.version, object));
}

export async function handleObject(
  context: RequestContext,
  target: ResourceTarget,
  method: string,
): Promise<void> {
  const { cluster, query, request } = context;
  const { type } = target.resolved;
  const operations = cluster.operations;
  const name = target.name ?? '';
  const subresource = target.subresource === 'status' ? ('status' as const) : undefined;
  switch (method) {
    case 'GET':
    case 'HEAD':
      respondObject(context, target, 200, operations.get(type, target.namespace, name));
      return;
    case 'PUT': {
      const body = parseBody(await readBody(request), request.headers['content-type']);
      const options = subresource
        ? { ...writeOptions(query, target.version), subresource }
        : writeOptions(query, target.version);
      respondObject(context, target, 200, operations.update(type, target.namespace, name, body, options));
      return;
    }
    case 'PATCH': {
      const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
      const patchType = patchTypes[contentType];
      if (!patchType) throw statusErrors.unsupportedMediaType(Object.keys(patchTypes));
      const body = parseBody(await readBody(request), contentType);
      const options = { ...writeOptions(query, target.version), force: query.get('force') === 'true' };
      const result = operations.patch(
        type,
        target.namespace,
        name,
        patchType,
        body,
        subresource ? { ...options, subresource } : options,
      );
      respondObject(context, target, result.created ? 201 : 200, result.object);
      return;
    }
    case 'DELETE': {
      const raw = await readBody(request);
      const deleteOptions =
        raw.length > 0
          ? (parseBody(raw, 'application/json') as {
              preconditions?: { resourceVersion?: string; uid?: string };
            })
          : {};
      const options = writeOptions(query, target.version);
      const deleted = operations.delete(
        type,
        target.namespace,
        name,
        deleteOptions.preconditions ? { ...options, preconditions: deleteOptions.preconditions } : options,
      );
      if (type.builtIn && deleteReturnsStatus.has(type.plural)) {
        sendJson(context.response, 200, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: { name, group: type.group, kind: type.plural, uid: deleted.metadata.uid },
        });
        return;
      }
      respondObject(context, target, 200, deleted);
      return;
    }
    default:
      throw statusErrors.methodNotAllowed();
  }
}

export async function handleCreate(context: RequestContext, target: ResourceTarget): Promise<void> {
  const { cluster, query, request } = context;
  const body = parseBody(await readBody(request), request.headers['content-type']);
  const created = cluster.operations.create(
    target.resolved.type,
    target.namespace,
    body,
    writeOptions(query, target.version),
  );
  respondObject(context, target, 201, created);
}

export function handleDeleteCollection(context: RequestContext, target: ResourceTarget): void {
  const { cluster, query } = context;
  const { type } = target.resolved;
  const matches = selectorFor(type, query);
  const options = writeOptions(query, target.version);
  const deleted = cluster.operations
    .list(type, target.namespace)
    .items.filter(matches ?? matchEverything)
    .map((object) =>
      cluster.operations.delete(type, object.metadata.namespace, object.metadata.name ?? '', options),
    );
  sendJson(context.response, 200, {
    kind: type.listKind,
    apiVersion: groupVersion(type.group, target.version),
    metadata: { resourceVersion: String(cluster.store.resourceVersion) },
    items: deleted.map((object) => cluster.operations.present(type, target.version, object)),
  });
}
