/**
 * What the container image would run, without a container engine: builds the committed tree
 * (HEAD, minus what .dockerignore leaves out) with `output: 'standalone'` as the Dockerfile does,
 * lays out the runtime stage's files, and runs `node server.js` with the chart's default
 * environment against a simulated cluster, as an unprivileged user over a read-only app directory
 * when started as root. Then checks the probes, the Host guard, sign-in and /metrics.
 *
 *   npm exec -- tsx deploy/smoke-standalone.ts     (a few minutes: it runs `next build`)
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { startSimulator } from '../sim/simulator';
import { renderManifest } from './render';

const root = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'meshscope-standalone-'));
const source = path.join(work, 'src');
const app = path.join(work, 'app');
const port = 18_480;
const podIp = '10.12.0.7';
const nobody = 65_534;

function step(message: string): void {
  console.log(`== ${message}`);
}

/** The Deployment's environment as the kubelet builds it (`$(NAME)` refers to a variable above). */
function chartEnv(): Record<string, string> {
  const objects = parseAllDocuments(renderManifest()).map((document) => document.toJS());
  const deployment = objects.find((object) => object.kind === 'Deployment');
  const env: Record<string, string> = {};
  for (const entry of deployment.spec.template.spec.containers[0].env as {
    name: string;
    value?: string;
    valueFrom?: { fieldRef?: { fieldPath: string } };
  }[]) {
    const value = entry.valueFrom?.fieldRef?.fieldPath === 'status.podIP' ? podIp : (entry.value ?? '');
    env[entry.name] = value.replace(
      /\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g,
      (whole, name: string) => env[name] ?? whole,
    );
  }
  return env;
}

async function main(): Promise<void> {
  step(`building HEAD with output: 'standalone' in ${work}`);
  mkdirSync(source);
  execFileSync('sh', ['-c', `git -C "${root}" archive HEAD | tar -x -C "${source}"`]);
  for (const ignored of ['.ci', 'e2e', 'bench', 'deploy', 'docs', 'sim', 'scripts']) {
    rmSync(path.join(source, ignored), { recursive: true, force: true });
  }
  execFileSync('find', [source, '-name', '*.test.ts', '-delete']);
  execFileSync('cp', ['-al', path.join(root, 'node_modules'), path.join(source, 'node_modules')]);
  mkdirSync(path.join(source, 'public'), { recursive: true });
  const started = performance.now();
  execFileSync(process.execPath, [path.join(source, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: source,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', MESHSCOPE_STANDALONE: '1' },
  });
  console.log(`build: ${((performance.now() - started) / 1000).toFixed(1)} s`);

  step('runtime stage: standalone server, static files, public/');
  cpSync(path.join(source, '.next/standalone'), app, { recursive: true });
  cpSync(path.join(source, '.next/static'), path.join(app, '.next/static'), { recursive: true });
  cpSync(path.join(source, 'public'), path.join(app, 'public'), { recursive: true });
  const size = execFileSync('du', ['-sm', app], { encoding: 'utf8' }).split('\t')[0];
  console.log(`runtime files: ${size} MB`);

  const simulator = await startSimulator({ scenario: 'bookinfo', kubeconfigDir: path.join(work, 'sim') });
  const kubeconfig = path.join(work, 'dashboard.kubeconfig');
  cpSync(simulator.kubeconfigs.admin, kubeconfig);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // The image's files belong to root and the app may write only its cache (an emptyDir).
    execFileSync('chmod', ['-R', 'go-w', app]);
    mkdirSync(path.join(app, '.next/cache'), { recursive: true });
    chownSync(path.join(app, '.next/cache'), nobody, nobody);
    chmodSync(work, 0o755);
    chmodSync(kubeconfig, 0o644);
  }
  const env: NodeJS.ProcessEnv = {
    ...chartEnv(),
    PATH: '/usr/bin:/bin',
    NODE_ENV: 'production',
    PORT: String(port),
    MESHSCOPE_KUBECONFIG: kubeconfig,
  };
  const command = asRoot
    ? ['setpriv', `--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', process.execPath, 'server.js']
    : [process.execPath, 'server.js'];
  step(
    `node server.js ${asRoot ? 'as uid 65534 over a read-only app directory' : ''}, the chart's environment`,
  );
  const server = spawn(command[0] as string, command.slice(1), {
    cwd: app,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  server.stdout.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  server.stderr.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });

  const viewer = simulator.users.find((user) => user.id === 'viewer')?.token ?? '';
  const failures: string[] = [];
  // node:http, not fetch: fetch drops a Host header it is given, and Host is what is checked here.
  const status = (url: string, headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const outgoing = request({ host: '127.0.0.1', port, path: url, headers }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
  const check = async (name: string, url: string, headers: Record<string, string>, expected: number) => {
    const answer = await status(url, headers);
    const ok = answer === expected;
    if (!ok) failures.push(name);
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${answer} (expected ${expected})`);
  };
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const up = await status('/api/healthz', { host: 'localhost' }).then(
        (code) => code === 200,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error(`server.js did not answer in 30 s:\n${log}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await check('liveness probe (Host: localhost)', '/api/healthz', { host: 'localhost' }, 200);
    await check('readiness probe', '/api/readyz', { host: 'localhost' }, 200);
    const bearer = { authorization: `Bearer ${viewer}` };
    await check('/metrics without a token', '/metrics', {}, 401);
    await check('/metrics with the viewer token', '/metrics', bearer, 200);
    await check('/metrics at the pod IP (a scraper)', '/metrics', { ...bearer, host: `${podIp}:8080` }, 200);
    await check(
      '/metrics at the Service name',
      '/metrics',
      { ...bearer, host: 'meshscope.meshscope.svc:8080' },
      200,
    );
    await check('/metrics at a foreign Host', '/metrics', { ...bearer, host: 'evil.example' }, 403);
    await check(
      'an API route with the viewer token',
      '/api/namespaces',
      { authorization: `Bearer ${viewer}` },
      200,
    );
    await check('a page without a session goes to sign-in', '/', {}, 303);
    await check('the sign-in page', '/sign-in', {}, 200);
    if (log.includes(viewer)) failures.push('the viewer token appears in the log');
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: { authorization: `Bearer ${viewer}` },
    }).then((response) => response.text());
    const rss = /^process_resident_memory_bytes (\S+)$/m.exec(metrics)?.[1];
    if (rss) console.log(`resident memory after the checks: ${(Number(rss) / 2 ** 20).toFixed(0)} MB`);
  } finally {
    server.kill();
    await simulator.close();
    if (failures.length === 0 && existsSync(work)) rmSync(work, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    console.error(`failed: ${failures.join('; ')} (files kept in ${work})\n${log}`);
    process.exitCode = 1;
  } else {
    console.log('standalone smoke test passed');
  }
}

await main();
