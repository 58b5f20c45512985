/**
 * `GET /api/validations` end to end: the real launcher (`meshscope demo`: the simulator with the
 * `large` scenario and the built dashboard, in child processes) on a loopback port, timed over
 * HTTP from here:
 *
 * - first.N: the first answer, which starts the on-demand caches (Secrets, ServiceAccounts, Nodes,
 *   CRDs), waits for them (at most 5 s) and builds the validator over the whole mesh;
 * - complete.N: wall time from the first request until an answer is built from complete caches
 *   (before that, findings are held back with a "still loading" warning);
 * - steady.N.*: answers after that (median and p95), with live traffic running; pods and
 *   Services are unchanged, so each answer is the incremental path's bookkeeping and the JSON;
 * - change.N.*: one VirtualService patched through the API server to a subset nobody defines:
 *   wall time until an answer carries the finding (watch delivery + incremental revalidation),
 *   and that answer's own time;
 * - summary.N: `?summary=true` (counts only, what the overview asks for).
 *
 * Needs the dashboard built (the launcher builds it first when stale; that time is not counted).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { Report } from './run';
import { DASHBOARD_AUTHORIZATION, dashboardOrigin, demoEnvironment, freePort } from './support';

export const description =
  'GET /api/validations end to end (launcher, simulator `large` at 1,000 and 5,000 services): first answer, steady answers, after one change';

const sizes = [
  { services: 1_000, namespaces: 20 },
  { services: 5_000, namespaces: 20 },
];
const steadyRequests = 10;
const readyTimeoutMs = 10 * 60_000;
const root = path.resolve(import.meta.dirname, '..');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

/** Starts `meshscope demo` and resolves with its URL once the dashboard says it is ready. */
async function startDemo(
  port: number,
  services: number,
  namespaces: number,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    path.join(root, 'node_modules/.bin/tsx'),
    [
      'bin/meshscope.ts',
      'demo',
      '--scenario',
      'large',
      '--services',
      String(services),
      '--namespaces',
      String(namespaces),
      '--port',
      String(port),
    ],
    { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: demoEnvironment() },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the demo did not become ready in time')),
      readyTimeoutMs,
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Meshscope ready: (\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(dashboardOrigin(match[1]));
      }
    });
    child.stderr?.resume();
    child.once('exit', (code) => reject(new Error(`the demo exited with ${code} before it was ready`)));
  });
  return { url, child };
}

async function stopDemo(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
}

interface ValidationsBody {
  findings: { object: { name: string }; code: string }[];
  counts: { total: number };
  warnings: { message: string }[];
}

async function timedGet(url: string): Promise<{ ms: number; bytes: number; body: ValidationsBody }> {
  const started = performance.now();
  const response = await fetch(url, { headers: DASHBOARD_AUTHORIZATION });
  const text = await response.text();
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 200)}`);
  return { ms, bytes: text.length, body: JSON.parse(text) };
}

export async function run(report: Report): Promise<void> {
  for (const size of sizes) {
    const label = size.services;
    const port = await freePort();
    const { url, child } = await startDemo(port, size.services, size.namespaces);
    try {
      const validations = `${url}/api/validations`;
      const requested = performance.now();
      let first = await timedGet(validations);
      report.figure(`first.${label}`, first.ms, 'ms');
      const loading = (answer: typeof first) =>
        answer.body.warnings.some((warning) => warning.message.startsWith('No findings yet'));
      for (let attempt = 0; attempt < 120 && loading(first); attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        first = await timedGet(validations);
      }
      if (loading(first)) throw new Error('the caches never finished loading');
      report.figure(`complete.${label}`, performance.now() - requested, 'ms');
      report.figure(`first.${label}.findings`, first.body.counts.total, 'findings');
      report.figure(`first.${label}.bytes`, first.bytes, 'bytes');
      const config = (await (
        await fetch(`${url}/api/config`, { headers: DASHBOARD_AUTHORIZATION })
      ).json()) as { items: unknown[] };
      report.figure(`first.${label}.istio_objects`, config.items.length, 'Istio objects');

      const steady: number[] = [];
      for (let request = 0; request < steadyRequests; request += 1)
        steady.push((await timedGet(validations)).ms);
      report.figure(`steady.${label}.median`, percentile(steady, 50), 'ms');
      report.figure(`steady.${label}.p95`, percentile(steady, 95), 'ms');
      report.figure(`summary.${label}`, (await timedGet(`${validations}?summary=true`)).ms, 'ms');

      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromFile(path.join(root, '.meshscope', `demo-${port}`, 'admin.kubeconfig'));
      const custom = kubeConfig.makeApiClient(CustomObjectsApi);
      const list = (await custom.listClusterCustomObject({
        group: 'networking.istio.io',
        version: 'v1',
        plural: 'virtualservices',
      })) as {
        items: { metadata: { name: string; namespace: string } }[];
      };
      const target = list.items[0]?.metadata;
      if (!target) throw new Error('the large scenario has no VirtualService');
      const patched = performance.now();
      await custom.patchNamespacedCustomObject(
        {
          group: 'networking.istio.io',
          version: 'v1',
          namespace: target.namespace,
          plural: 'virtualservices',
          name: target.name,
          body: [{ op: 'replace', path: '/spec/http/0/route/0/destination/subset', value: 'bench-missing' }],
        },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      );
      let seen: Awaited<ReturnType<typeof timedGet>> | undefined;
      for (let attempt = 0; attempt < 200 && !seen; attempt += 1) {
        const answer = await timedGet(`${validations}?namespaces=${target.namespace}`);
        if (
          answer.body.findings.some(
            (f) => f.object.name === target.name && f.code === 'vs.destination.subset-not-found',
          )
        )
          seen = answer;
      }
      if (!seen) throw new Error('the change never showed in /api/validations');
      report.figure(`change.${label}.until_seen`, performance.now() - patched, 'ms');
      report.figure(`change.${label}.answer`, seen.ms, 'ms');
    } finally {
      await stopDemo(child);
    }
  }
  report.note(
    'times are wall-clock over HTTP on loopback, with the simulator and the dashboard on the same 2 cores',
  );
}
