/**
 * The simulated kube-apiserver's HTTPS front: public endpoints, authentication, discovery,
 * OpenAPI, the simulator's fault controls, and dispatch to resource verbs and subresources.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { Duplex } from 'node:stream';
import type { SimulatedUser } from '../cluster/auth';
import type { ServingCertificates } from '../cluster/certificates';
import type { SimulatedCluster } from '../cluster/cluster';
import {
  aggregatedContentType,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  wantsAggregated,
} from '../cluster/discovery';
import { StatusError, statusErrors } from '../cluster/status-error';
import { isPlainObject } from '../cluster/types';
import type { FaultSettings } from './faults';
import {
  type ChunkedBody,
  parseBody,
  pathSegments,
  readBody,
  sendError,
  sendJson,
  sendText,
  streamText,
} from './http-util';
import type { PodNetwork } from './pod-network';
import { PortForwarder } from './port-forward';
import { parseApiPath, type ResourceTarget, verbFor } from './request-target';
import {
  handleCreate,
  handleDeleteCollection,
  handleList,
  handleObject,
  type RequestContext,
} from './resource-handler';
import { handleLog, handlePodProxy, handleReview, handleScale, isReview } from './subresources';
import { WatchRegistry } from './watch';

export const kubernetesVersion = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:03:54Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const publicPaths = new Set(['/version', '/healthz', '/livez', '/readyz']);

export interface ApiServerOptions {
  cluster: SimulatedCluster;
  certificates: ServingCertificates;
  network: PodNetwork;
  faults: FaultSettings;
  /**
   * every sidecar's series in Prometheus text, for `GET /simulator/v1/metrics`: UTF-8 chunks,
   * produced as they are sent (it may be hundreds of megabytes)
   */
  scrape: () => ChunkedBody;
}

export class SimulatedApiServer {
  readonly watches = new WatchRegistry();
  readonly server: Server;
  private readonly portForwarder = new PortForwarder();

  constructor(private readonly options: ApiServerOptions) {
    this.server = createHttpsServer(
      { cert: options.certificates.certificate, key: options.certificates.privateKey },
      (request, response) => {
        this.handle(request, response).catch((error: unknown) => sendError(response, error));
      },
    );
    // Go clients keep idle connections for up to 90 s; Node's 5 s default races them.
    this.server.keepAliveTimeout = 120_000;
    this.server.headersTimeout = 125_000;
    this.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.handleUpgrade(request, socket, head),
    );
  }

  close(): void {
    this.watches.endAll();
    this.portForwarder.close();
  }

  private get cluster(): SimulatedCluster {
    return this.options.cluster;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'https://127.0.0.1');
    const method = request.method ?? 'GET';
    const faults = this.options.faults;
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    if (publicPaths.has(url.pathname)) {
      if (url.pathname === '/version') sendJson(response, 200, kubernetesVersion);
      else sendText(response, 200, 'ok');
      return;
    }
    const user = this.cluster.authorizer.authenticate(request.headers.authorization);
    if (!user) throw statusErrors.unauthorized();
    if (faults.throttleRetryAfterSeconds !== undefined && !url.pathname.startsWith('/simulator/')) {
      throw statusErrors.tooManyRequests(faults.throttleRetryAfterSeconds);
    }
    const segments = pathSegments(url.pathname);
    if (segments[0] === 'simulator')
      return this.handleSimulatorControl(request, response, user, method, segments);
    if (segments[0] === 'openapi') return this.handleOpenApi(response, segments);
    if (await this.handleDiscovery(request, response, url.pathname, segments)) return;

    const parsed = parseApiPath(this.cluster, segments);
    if (parsed.kind === 'group-version') {
      const list = apiResourceList(this.cluster.registry, parsed.group, parsed.version);
      if (!list) throw statusErrors.pathNotFound();
      sendJson(response, 200, list);
      return;
    }
    if (parsed.kind === 'unknown') throw statusErrors.pathNotFound();
    const target = parsed.target;
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    this.authorize(user, method, target, watch);
    const context: RequestContext = {
      cluster: this.cluster,
      watches: this.watches,
      request,
      response,
      query: url.searchParams,
    };
    await this.dispatch(context, target, method, user);
  }

  private authorize(user: SimulatedUser, method: string, target: ResourceTarget, watch: boolean): void {
    const { type } = target.resolved;
    const access = {
      verb: verbFor(method, target, watch),
      group: type.group,
      resource: type.plural,
      ...(target.subresource ? { subresource: target.subresource } : {}),
      ...(target.namespace
        ? { namespace: target.namespace }
        : type.plural === 'namespaces' && target.name
          ? { namespace: target.name }
          : {}),
      ...(target.name
        ? {
            name: target.name.split(':').length === 3 ? target.name.split(':')[1] : target.name.split(':')[0],
          }
        : {}),
    };
    if (!this.cluster.authorizer.allows(user, access)) {
      throw new StatusError(403, 'Forbidden', this.cluster.authorizer.forbiddenMessage(user, access), {
        ...(access.name ? { name: access.name } : {}),
        group: type.group,
        kind: type.plural,
      });
    }
  }

  private async dispatch(
    context: RequestContext,
    target: ResourceTarget,
    method: string,
    user: SimulatedUser,
  ): Promise<void> {
    const { type } = target.resolved;
    if (isReview(target)) {
      if (method !== 'POST') throw statusErrors.methodNotAllowed();
      return handleReview(context, target, user);
    }
    if (target.subresource && !type.subresources.includes(target.subresource))
      throw statusErrors.pathNotFound();
    switch (target.subresource) {
      case undefined:
      case 'status':
        break;
      case 'scale':
        return handleScale(context, target, method);
      case 'log':
        return handleLog(context, target, this.options.network);
      case 'proxy':
        if (type.plural !== 'pods') throw statusErrors.pathNotFound();
        return handlePodProxy(context, target, this.options.network, method);
      case 'portforward':
      case 'exec':
        throw statusErrors.badRequest('Upgrade request required');
      default:
        throw statusErrors.pathNotFound();
    }
    if (target.name === undefined) {
      if (target.subresource) throw statusErrors.pathNotFound();
      if (method === 'GET' || method === 'HEAD') return handleList(context, target);
      if (method === 'POST') return handleCreate(context, target);
      if (method === 'DELETE') return handleDeleteCollection(context, target);
      throw statusErrors.methodNotAllowed();
    }
    if (method === 'POST') throw statusErrors.methodNotAllowed();
    return handleObject(context, target, method);
  }

  private async handleDiscovery(
    request: IncomingMessage,
    response: ServerResponse,
    pathname: string,
    segments: string[],
  ): Promise<boolean> {
    const registry = this.cluster.registry;
    if (pathname === '/api' || pathname === '/apis') {
      const aggregated = wantsAggregated(request.headers.accept);
      if (aggregated) {
        const contentType =
          aggregated === 'v2' ? aggregatedContentType : aggregatedContentType.replace('v=v2', 'v=v2beta1');
        sendJson(response, 200, aggregatedDiscovery(registry, pathname === '/api', aggregated), contentType);
      } else {
        const address = `${request.socket.localAddress ?? '127.0.0.1'}:${request.socket.localPort ?? 443}`;
        sendJson(response, 200, pathname === '/api' ? apiVersions(address) : apiGroupList(registry));
      }
      return true;
    }
    if (segments.length === 2 && segments[0] === 'apis' && segments[1]) {
      const group = apiGroup(registry, segments[1]);
      if (!group) throw statusErrors.pathNotFound();
      sendJson(response, 200, group);
      return true;
    }
    return false;
  }

  private handleOpenApi(response: ServerResponse, segments: string[]): void {
    if (segments[1] !== 'v3') throw statusErrors.pathNotFound();
    if (segments.length === 2) {
      sendJson(response, 200, this.cluster.openApi.root());
      return;
    }
    const document = this.cluster.openApi.document(segments.slice(2).join('/'));
    if (!document) throw statusErrors.pathNotFound();
    sendJson(response, 200, document);
  }

  /**
   * `GET|POST /simulator/v1/faults`: read or change the fault switches (admin only).
   * Body: `{latencyMs?, throttleRetryAfterSeconds? (null clears), watches?: 'end'|'reset', expireHistory?: true}`.
   */
  private async handleSimulatorControl(
    request: IncomingMessage,
    response: ServerResponse,
    user: SimulatedUser,
    method: string,
    segments: string[],
  ): Promise<void> {
    if (segments.join('/') === 'simulator/v1/metrics' && method === 'GET') {
      // Any authenticated user may scrape, as Prometheus does with its own service account.
      await streamText(
        request,
        response,
        200,
        this.options.scrape(),
        'text/plain; version=0.0.4; charset=utf-8',
      );
      return;
    }
    if (segments.join('/') !== 'simulator/v1/faults') throw statusErrors.pathNotFound();
    if (!this.cluster.authorizer.allows(user, { verb: '*', group: '*', resource: '*' })) {
      throw new StatusError(403, 'Forbidden', `User "${user.username}" cannot change the simulator's faults`);
    }
    const faults = this.options.faults;
    if (method === 'POST') {
      const body = parseBody(await readBody(request), 'application/json');
      if (!isPlainObject(body)) throw statusErrors.badRequest('expected a JSON object');
      if (typeof body.latencyMs === 'number') faults.latencyMs = Math.max(0, body.latencyMs);
      if (body.throttleRetryAfterSeconds === null) faults.throttleRetryAfterSeconds = undefined;
      else if (typeof body.throttleRetryAfterSeconds === 'number')
        faults.throttleRetryAfterSeconds = body.throttleRetryAfterSeconds;
      if (body.expireHistory === true) this.cluster.store.compact();
      if (body.watches === 'end') this.watches.endAll();
      if (body.watches === 'reset') this.watches.resetAll();
    } else if (method !== 'GET') {
      throw statusErrors.methodNotAllowed();
    }
    sendJson(response, 200, {
      latencyMs: faults.latencyMs,
      throttleRetryAfterSeconds: faults.throttleRetryAfterSeconds ?? null,
      openWatches: this.watches.count,
    });
  }

  private handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (error: StatusError) => {
      const body = JSON.stringify(error.toStatus());
      socket.end(
        `HTTP/1.1 ${error.code} ${error.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    };
    try {
      const url = new URL(request.url ?? '/', 'https://127.0.0.1');
      const user = this.cluster.authorizer.authenticate(request.headers.authorization);
      if (!user) throw statusErrors.unauthorized();
      const parsed = parseApiPath(this.cluster, pathSegments(url.pathname));
      if (
        parsed.kind !== 'resource' ||
        parsed.target.subresource !== 'portforward' ||
        parsed.target.resolved.type.plural !== 'pods'
      ) {
        throw statusErrors.badRequest('only pods/portforward accepts an upgrade on the simulated cluster');
      }
      const target = parsed.target;
      this.authorize(user, 'POST', target, false);
      const pod = this.cluster.operations.get(target.resolved.type, target.namespace, target.name ?? '');
      const ports = url.searchParams
        .getAll('ports')
        .flatMap((value) => value.split(','))
        .map(Number)
        .filter((port) => port > 0 && port < 65536);
      if (ports.length === 0) throw statusErrors.badRequest('query parameter "port" is required');
      this.portForwarder.upgrade(
        request,
        socket,
        head,
        ports.map((port) => ({
          port,
          listener: this.options.network.listener(pod, port),
          failure: `error forwarding port ${port} to pod ${pod.metadata.uid}: failed to connect to localhost:${port} inside the pod: connect: connection refused`,
        })),
      );
    } catch (error) {
      refuse(error instanceof StatusError ? error : new StatusError(500, 'InternalError', String(error)));
    }
  }
}
