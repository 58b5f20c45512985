/**
 * The benchmark runner: `npm run bench -- NAME [NAME...]` runs `bench/NAME.ts`, and without a name
 * (or with an unknown one) lists the benchmarks there. A benchmark is a top-level module of bench/
 * that exports `description` and `run(report)`, and does nothing when merely imported; code shared
 * between benchmarks lives in subfolders, which are not benchmarks.
 *
 * Output is one `name: value unit` line per figure (and per size of the work), prefixed with the
 * benchmark's name, plus `# ` lines for context. Benchmarks assert nothing, but a failed request
 * throws: the runner reports it and exits 1.
 *
 * `npm run bench` runs it with the `react-server` export condition, so that benchmarks can import
 * the dashboard's server modules (their `import 'server-only'` is then the empty module it is in
 * Next's server build).
 */
import { readdirSync } from 'node:fs';
import { arch, availableParallelism, cpus, loadavg, platform, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface Report {
  /** One figure, printed as `benchmark.name: value unit`. */
  figure(name: string, value: number, unit: string): void;
  /** A line of context (a caveat, what a figure means), printed as `# text`. */
  note(text: string): void;
}

export interface Benchmark {
  /** one line, shown in the list of benchmarks */
  description: string;
  run(report: Report): Promise<void>;
}

const benchDirectory = dirname(fileURLToPath(import.meta.url));

/** Files here that are the runner and its helpers, not benchmarks. */
const NOT_BENCHMARKS = new Set(['run.ts', 'support.ts']);

/** Benchmark names: the top-level `.ts` files of bench/ other than this runner and tests. */
function benchmarkNames(): string[] {
  return readdirSync(benchDirectory, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => entry.name)
    .filter((file) => !NOT_BENCHMARKS.has(file) && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
}

function isBenchmark(module: unknown): module is Benchmark {
  if (typeof module !== 'object' || module === null) return false;
  const candidate = module as Partial<Benchmark>;
  return typeof candidate.description === 'string' && typeof candidate.run === 'function';
}

async function load(name: string): Promise<Benchmark> {
  const module: unknown = await import(pathToFileURL(join(benchDirectory, `${name}.ts`)).href);
  if (!isBenchmark(module)) throw new Error(`bench/${name}.ts does not export description and run()`);
  return module;
}

/** Up to 4 significant digits, never in exponent notation. */
function formatValue(value: number): string {
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  const digits = Math.max(0, 3 - Math.floor(Math.log10(Math.abs(value) || 1)));
  return String(Number(value.toFixed(Math.min(digits, 6))));
}

function reportFor(prefix: string): Report {
  return {
    figure: (name, value, unit) => console.log(`${prefix}.${name}: ${formatValue(value)} ${unit}`),
    note: (text) => console.log(`# ${text}`),
  };
}

async function listBenchmarks(names: string[]): Promise<void> {
  console.log('usage: npm run bench -- NAME [NAME...]\n\nbenchmarks:');
  for (const name of names) {
    const description = await load(name).then(
      (benchmark) => benchmark.description,
      (error: unknown) => `(cannot be loaded: ${error instanceof Error ? error.message : String(error)})`,
    );
    console.log(`  ${name.padEnd(16)} ${description}`);
  }
}

function describeMachine(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const memory = (totalmem() / 2 ** 30).toFixed(0);
  // Figures from a shared 2-core box are only comparable at similar load.
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  return `node ${process.version}, ${platform()} ${arch()}, ${availableParallelism()} × ${model}, ${memory} GiB, load ${load}`;
}

async function main(requested: string[]): Promise<number> {
  const names = benchmarkNames();
  if (requested.length === 0) {
    await listBenchmarks(names);
    return 0;
  }
  const unknown = requested.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    console.error(`unknown benchmark${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}\n`);
    await listBenchmarks(names);
    return 2;
  }
  console.log(`# ${describeMachine()}`);
  let failed = false;
  for (const name of requested) {
    const started = performance.now();
    try {
      const benchmark = await load(name);
      console.log(`# ${name}: ${benchmark.description}`);
      await benchmark.run(reportFor(name));
      reportFor(name).figure('duration', (performance.now() - started) / 1000, 's');
    } catch (error) {
      failed = true;
      console.error(
        `${name} FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
  }
  return failed ? 1 : 0;
}

// A benchmark that failed half-way may leave sockets or timers behind: exit rather than hang.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
