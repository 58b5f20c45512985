/**
 * Fails when package-lock.json lacks an optional dependency some package declares (the platform
 * binaries of Biome and Next's SWC). npm writes such a lock when its registry serves only the
 * current platform's binaries, as the mirror on our build machines does, and `npm ci` then refuses
 * it on a clean machine. README "The lock file" says how to put the entries back.
 */
import { readFileSync } from 'node:fs';

interface LockPackage {
  optionalDependencies?: Record<string, string>;
}

const lockPath = process.argv[2] ?? new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as {
  packages: Record<string, LockPackage>;
};

/** Where npm would resolve `name` from the package at `path` (its own node_modules, then up). */
function resolves(path: string, name: string): boolean {
  let base = path;
  for (;;) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (lock.packages[candidate]) return true;
    if (base === '') return false;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent < 0 ? '' : base.slice(0, parent);
  }
}

const missing: string[] = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const name of Object.keys(entry.optionalDependencies ?? {})) {
    if (!resolves(path, name)) missing.push(`${path || '(root)'} -> ${name}`);
  }
}

if (missing.length > 0) {
  console.error(
    `package-lock.json lacks ${missing.length} optional dependencies, so npm ci would fail on a clean machine:\n  ${missing.join('\n  ')}\nSee README, "The lock file".`,
  );
  process.exit(1);
}
console.log(
  `package-lock.json: every optional dependency has an entry (${Object.keys(lock.packages).length} packages).`,
);
