import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildReason } from './build';

let root: string;

/** Creates a file and its directories, all dated `secondsSinceEpoch`. */
async function touch(relative: string, secondsSinceEpoch: number): Promise<void> {
  const file = path.join(root, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '');
  for (let current = file; current !== root; current = path.dirname(current)) {
    await utimes(current, secondsSinceEpoch, secondsSinceEpoch);
  }
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'meshscope-build-'));
  await touch('app/page.tsx', 1_000);
  await touch('package.json', 1_000);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('buildReason', () => {
  it('asks for a build when there is none', async () => {
    expect(await buildReason(root)).toEqual({ kind: 'missing' });
  });

  it('is satisfied by a build newer than every input', async () => {
    await touch('.next/BUILD_ID', 2_000);
    expect(await buildReason(root)).toBeUndefined();
  });

  it('names the first input changed after the build, however deep', async () => {
    await touch('.next/BUILD_ID', 2_000);
    await touch('server/kube/cluster.ts', 3_000);
    expect(await buildReason(root)).toEqual({
      kind: 'stale',
      file: path.join('server', 'kube', 'cluster.ts'),
    });
  });

  it('notices a deleted input through its directory', async () => {
    await touch('app/old/page.tsx', 1_000);
    await touch('.next/BUILD_ID', 2_000);
    await rm(path.join(root, 'app/old/page.tsx'));
    expect(await buildReason(root)).toEqual({ kind: 'stale', file: path.join('app', 'old') });
  });

  it('ignores test files and files outside the inputs', async () => {
    await touch('lib/graph/build.test.ts', 1_000);
    await touch('.next/BUILD_ID', 2_000);
    await utimes(path.join(root, 'lib/graph/build.test.ts'), 3_000, 3_000);
    await touch('sim/simulator.ts', 3_000);
    await touch('e2e/overview.spec.ts', 3_000);
    expect(await buildReason(root)).toBeUndefined();
  });
});
