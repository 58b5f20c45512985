/**
 * Starting and stopping a simulated cluster: its API server on 127.0.0.1 over HTTPS, a scenario's
 * objects, the controllers, and a kubeconfig per user in the kubeconfig directory. Certificates
 * and tokens are kept in that directory so kubeconfigs stay valid across restarts.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { defaultUsers, type SimulatedUser } from './cluster/auth';
import { createServingCertificates, type ServingCertificates } from './cluster/certificates';
import { SimulatedCluster } from './cluster/cluster';
import { kubeconfigFor } from './cluster/kubeconfig';
import { WorkloadControllers } from './controllers/workloads';
import { istioCrds } from './istio/crds';
import { SimulatedPods } from './mesh/pods';
import { ChunkPool } from './mesh/telemetry';
import { TrafficEngine } from './mesh/traffic-engine';
import { writePrometheusConfig } from './prometheus-config';
import { SeededRandom } from './random';
import { findScenario } from './scenarios';
import { SimulatedApiServer } from './server/api-server';
import { type FaultSettings, noFaults } from './server/faults';

export interface SimulatorOptions {
  scenario: string;
  address?: string;
  port?: number;
  kubeconfigDir: string;
  seed?: number;
  services?: number;
  namespaces?: number;
  /** how often simulated traffic flows, in milliseconds (default 1000) */
  tickMs?: number;
  /** leave traffic stopped (tests drive `engine.tick()` themselves) */
  manualTraffic?: boolean;
  /** write a Prometheus configuration scraping the simulated mesh to this file */
  prometheusConfig?: string;
  /** seconds between Prometheus scrapes in that configuration (default 5) */
  scrapeIntervalSeconds?: number;
}

export interface RunningSimulator {
  url: string;
  kubeconfigs: { admin: string; viewer: string };
  users: SimulatedUser[];
  cluster: SimulatedCluster;
  engine: TrafficEngine;
  faults: FaultSettings;
  /** the API server's CA certificate (PEM), for clients built by hand */
  caCertificate: string;
  /** End every open watch cleanly, as an API server does on its watch timeout (clients re-watch). */
  endWatches(): void;
  /** Cut every open watch mid-stream, as a network failure does. */
  resetWatches(): void;
  /** how many watch streams are open now */
  openWatches(): number;
  /** Stop serving (open connections are cut) while keeping all state. */
  stop(): Promise<void>;
  /** Serve again on the same address and port, with the same state. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

async function loadOrCreate<T>(path: string, create: () => T): Promise<T> {
  if (existsSync(path)) return JSON.parse(await readFile(path, 'utf8')) as T;
  const value = create();
  await writeFile(path, JSON.stringify(value, null, 2), { mode: 0o600 });
  return value;
}

export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const scenario = findScenario(options.scenario);
  const address = options.address ?? '127.0.0.1';
  const directory = options.kubeconfigDir;
  await mkdir(directory, { recursive: true });
  const certificates = await loadOrCreate<ServingCertificates>(
    join(directory, 'serving-certificates.json'),
    () => createServingCertificates(['127.0.0.1', 'localhost', address]),
  );
  const tokens = await loadOrCreate<Record<string, string>>(join(directory, 'tokens.json'), () =>
    Object.fromEntries(defaultUsers().map((user) => [user.id, user.token])),
  );
  const users = defaultUsers(tokens);
  const cluster = new SimulatedCluster(users);
  const random = new SeededRandom(options.seed ?? 1);
  const controllers = new WorkloadControllers(cluster, random);
  controllers.start();
  if (scenario.istio) cluster.apply(istioCrds());
  cluster.apply(
    scenario.objects({
      seed: options.seed ?? 1,
      services: options.services ?? 100,
      namespaces: options.namespaces ?? 5,
    }),
  );
  await controllers.settle();
  scenario.afterStart?.(cluster);
  await controllers.settle();

  const engine = new TrafficEngine(cluster, random, options.tickMs ?? 1000);
  const scrapeBuffers = new ChunkPool();
  const faults = noFaults();
  const apiServer = new SimulatedApiServer({
    cluster,
    certificates,
    network: new SimulatedPods(engine),
    faults,
    // Chunk buffers go back to the pool once sent: scrapes reuse a few instead of allocating hundreds of MB.
    scrape: () => ({
      chunks: engine.scrapeChunks(scrapeBuffers),
      release: (chunk) => scrapeBuffers.give(chunk),
    }),
  });
  if (!options.manualTraffic) engine.start();
  const sockets = new Set<Socket>();
  apiServer.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      apiServer.server.once('error', reject);
      apiServer.server.listen(port, address, () => {
        apiServer.server.off('error', reject);
        resolve((apiServer.server.address() as AddressInfo).port);
      });
    });
  const port = await listen(options.port ?? 0);
  const host = address.includes(':') ? `[${address}]` : address;
  const url = `https://${host}:${port}`;
  const kubeconfigs = {
    admin: join(directory, 'admin.kubeconfig'),
    viewer: join(directory, 'viewer.kubeconfig'),
  };
  for (const user of users) {
    await writeFile(
      join(directory, `${user.id}.kubeconfig`),
      kubeconfigFor(user, url, certificates.caCertificate),
      { mode: 0o600 },
    );
  }
  const viewer = users.find((user) => user.id === 'viewer');
  if (options.prometheusConfig && viewer) {
    await writePrometheusConfig(options.prometheusConfig, {
      url,
      caCertificate: certificates.caCertificate,
      token: viewer.token,
      ...(options.scrapeIntervalSeconds ? { scrapeIntervalSeconds: options.scrapeIntervalSeconds } : {}),
    });
  }

  // Like a crashed or killed API server: watches are cut, not ended, and clients see errors.
  const stop = async () => {
    apiServer.watches.resetAll();
    apiServer.close();
    await new Promise<void>((resolve) => {
      apiServer.server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  };
  let closed = false;
  return {
    url,
    kubeconfigs,
    users,
    cluster,
    engine,
    faults,
    caCertificate: certificates.caCertificate,
    endWatches: () => apiServer.watches.endAll(),
    resetWatches: () => apiServer.watches.resetAll(),
    openWatches: () => apiServer.watches.count,
    stop,
    restart: async () => {
      await listen(port);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      engine.dispose();
      controllers.stop();
      if (apiServer.server.listening) await stop();
    },
  };
}
