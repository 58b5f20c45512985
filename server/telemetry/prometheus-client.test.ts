/**
 * Prometheus through the API server's service proxy. The simulated cluster has no
 * `services/proxy`, so a stand-in API server on loopback records what client-node really sends
 * (path, encoding, query parameters, credentials) and answers as Prometheus behind the proxy would.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import type { TelemetryCluster } from './kube-calls';
import { kubeProxyPrometheusClient } from './prometheus-client';
import { createTelemetrySource } from './source';

const proxyPath = '/api/v1/namespaces/istio-system/services/prometheus:9090/proxy/api/v1/query';

describe('kubeProxyPrometheusClient', () => {
  let server: Server;
  let cluster: TelemetryCluster;
  const requests: { path: string; query: URLSearchParams; authorization: string | undefined }[] = [];

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      // The API server routes on the decoded path, as Go's net/http gives it.
      const path = decodeURIComponent(url.pathname);
      requests.push({ path, query: url.searchParams, authorization: request.headers.authorization });
      response.setHeader('content-type', 'application/json');
      if (path !== proxyPath) {
        response.writeHead(404).end(JSON.stringify({ kind: 'Status', status: 'Failure', code: 404 }));
        return;
      }
      if (url.searchParams.get('query') === 'sum(') {
        response.writeHead(400).end(
          JSON.stringify({
            status: 'error',
            errorType: 'bad_data',
            error: 'parse error: unclosed left parenthesis',
          }),
        );
        return;
      }
      response.writeHead(200).end(
        JSON.stringify({
          status: 'success',
          data: {
            resultType: 'vector',
            result: [{ metric: { reporter: 'destination' }, value: [1, '+Inf'] }],
          },
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const config = new KubeConfig();
    config.loadFromOptions({
      // client-node speaks plain HTTP only with TLS verification off; the stand-in has no TLS.
      clusters: [
        {
          name: 'stand-in',
          server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          skipTLSVerify: true,
        },
      ],
      users: [{ name: 'viewer', token: 'viewer-token' }],
      contexts: [{ name: 'stand-in', cluster: 'stand-in', user: 'viewer' }],
      currentContext: 'stand-in',
    });
    cluster = { server: config.getCurrentCluster()?.server ?? '', core: config.makeApiClient(CoreV1Api) };
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the query, time and timeout as parameters of the proxied request', async () => {
    const answer = await kubeProxyPrometheusClient(cluster).query('sum(rate(x[30s]))', 1_700_000_000.5);
    expect(answer.vector).toEqual([{ labels: { reporter: 'destination' }, value: Number.POSITIVE_INFINITY }]);
    const sent = requests.at(-1);
    expect(sent?.path).toBe(proxyPath);
    expect(sent?.query.get('query')).toBe('sum(rate(x[30s]))');
    expect(sent?.query.get('time')).toBe('1700000000.500');
    expect(sent?.query.get('timeout')).toBe('10s');
    expect(sent?.authorization).toBe('Bearer viewer-token');
  });

  it("passes on Prometheus' own error", async () => {
    const error = await kubeProxyPrometheusClient(cluster)
      .query('sum(', 1)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('unavailable:prometheus');
    expect((error as AppError).message).toMatch(/answered 400: bad_data: parse error/);
  });

  it('is what createTelemetrySource chooses when the in-cluster Prometheus answers', async () => {
    const source = await createTelemetrySource({ cluster });
    expect(source.describe()).toEqual({
      name: 'prometheus',
      target: `${cluster.server}/api/v1/namespaces/istio-system/services/prometheus:9090/proxy`,
      healthy: true,
    });
    expect(requests.at(-1)?.query.get('query')).toBe('vector(1)');
  });
});
