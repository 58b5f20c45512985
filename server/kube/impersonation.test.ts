/**
 * Header mode with impersonation: the API server takes one group per `Impersonate-Group` line (a
 * comma is part of a group's name), so each group must reach it as its own header line.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerKubeConfig } from './cluster';

describe('impersonating a caller', () => {
  let server: Server;
  let base: KubeConfig;
  const seen: IncomingHttpHeaders[] = [];
  const distinct: Record<string, string[]>[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push(request.headers);
      distinct.push(request.headersDistinct as Record<string, string[]>);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ apiVersion: 'v1', kind: 'NamespaceList', metadata: {}, items: [] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    base = new KubeConfig();
    base.loadFromOptions({
      clusters: [{ name: 'local', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'dashboard', token: 'dashboard-token' }],
      contexts: [{ name: 'local', cluster: 'local', user: 'dashboard' }],
      currentContext: 'local',
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("sends the dashboard's token, Impersonate-User, and one Impersonate-Group line per group", async () => {
    const kubeConfig = callerKubeConfig(base, {
      kind: 'impersonate',
      user: 'alice',
      groups: ['developers', 'mesh-operators'],
    });
    await kubeConfig.makeApiClient(CoreV1Api).listNamespace();
    expect(seen.at(-1)?.authorization).toBe('Bearer dashboard-token');
    expect(seen.at(-1)?.['impersonate-user']).toBe('alice');
    expect(distinct.at(-1)?.['impersonate-group']).toEqual(['developers', 'mesh-operators']);
  });

  it('sends no Impersonate-Group without groups', async () => {
    const kubeConfig = callerKubeConfig(base, { kind: 'impersonate', user: 'bob', groups: [] });
    await kubeConfig.makeApiClient(CoreV1Api).listNamespace();
    expect(seen.at(-1)?.['impersonate-user']).toBe('bob');
    expect(distinct.at(-1)?.['impersonate-group']).toBeUndefined();
  });
});
