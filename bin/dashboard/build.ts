import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CliError } from '../cli/errors';

/** Sources of the production build: a change to any of them makes `.next` stale. */
const BUILD_INPUTS = ['app', 'components', 'lib', 'server', 'next.config.ts', 'package.json'];

/** Files under the inputs that do not end up in the build. */
const NOT_BUILT = /\.test\.tsx?$/;

export type BuildReason = { kind: 'missing' } | { kind: 'stale'; file: string };

async function mtimeOrUndefined(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The first input (relative to root) modified after `since`, walking directories. */
async function findNewer(root: string, relative: string, since: number): Promise<string | undefined> {
  const absolute = path.join(root, relative);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(absolute);
  } catch {
    return undefined;
  }
  if (!info.isDirectory()) return info.mtimeMs > since && !NOT_BUILT.test(relative) ? relative : undefined;
  for (const entry of await readdir(absolute)) {
    const found = await findNewer(root, path.join(relative, entry), since);
    if (found !== undefined) return found;
  }
  // No newer file, but a directory's own time also changes when an entry is deleted or renamed.
  return info.mtimeMs > since ? relative : undefined;
}

/** Why `root` needs `next build`, or undefined when `.next/BUILD_ID` is newer than every input. */
export async function buildReason(root: string): Promise<BuildReason | undefined> {
  const builtAt = await mtimeOrUndefined(path.join(root, '.next', 'BUILD_ID'));
  if (builtAt === undefined) return { kind: 'missing' };
  for (const input of BUILD_INPUTS) {
    const file = await findNewer(root, input, builtAt);
    if (file !== undefined) return { kind: 'stale', file };
  }
  return undefined;
}

function runNextBuild(root: string, signal: AbortSignal | undefined): Promise<void> {
  const nextBin = createRequire(path.join(root, 'package.json')).resolve('next/dist/bin/next');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], {
      cwd: root,
      // Build output goes to our stdout/stderr: it is the progress the user watches.
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
      signal,
    });
    child.once('error', (error) => {
      if (signal?.aborted) reject(signal.reason);
      else reject(new CliError(`Dashboard build could not start: ${error.message}`, { cause: error }));
    });
    child.once('exit', (code, exitSignal) => {
      if (code === 0) resolve();
      else if (signal?.aborted) reject(signal.reason);
      else {
        const how = code === null ? `was killed by ${exitSignal}` : `exited with code ${code}`;
        reject(new CliError(`Dashboard build failed: next build ${how}; see its output above.`));
      }
    });
  });
}

/** Makes sure a current production build exists, running `next build` (with progress) if not. */
export async function ensureBuild(root: string, signal?: AbortSignal): Promise<void> {
  const reason = await buildReason(root);
  if (reason === undefined) return;
  const why =
    reason.kind === 'missing' ? 'no production build yet' : `${reason.file} changed since the last build`;
  console.log(`Building the dashboard (${why}); this takes a minute...`);
  const startedAt = performance.now();
  await runNextBuild(root, signal);
  console.log(`Dashboard built in ${((performance.now() - startedAt) / 1000).toFixed(1)} s.`);
}
