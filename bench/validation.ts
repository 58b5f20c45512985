/**
 * Configuration validation (lib/validation) on synthetic meshes of 1,000, 10,000 and 50,000
 * objects (namespaces, Services, Deployments, pods and Istio objects; see
 * lib/validation/synthetic.ts), in this process:
 *
 * - full.N.*: `validate(snapshot)`, indexing included: median and p95 of several runs after two
 *   untimed warm-ups, and the findings it returns;
 * - incremental.N.*: `Validator.apply()` after one object changes (a VirtualService's subset, a
 *   DestinationRule's subsets, a namespace's PeerAuthentication), against an already built
 *   validator: median over the changes, and the objects rechecked;
 * - preview.N: `Validator.preview()` of one edited VirtualService (apply and revert), as the
 *   editor does before saving.
 *
 * Percentiles are nearest-rank over wall-clock times.
 */
import { performance } from 'node:perf_hooks';
import type { IstioObject } from '../lib/types/mesh-config';
import { syntheticMesh } from '../lib/validation/synthetic';
import { Validator, validate } from '../lib/validation/validate';
import type { Report } from './run';

export const description =
  'config validation: full run at 1k/10k/50k objects, incremental revalidation after one change';

const sizes = [1_000, 10_000, 50_000];
/** timed full runs per size, fewer for the largest */
const fullRuns = (size: number) => (size >= 50_000 ? 5 : 10);
/** untimed runs first, so that the timed ones run optimised code */
const warmups = 2;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

function time(action: () => void): number {
  const started = performance.now();
  action();
  return performance.now() - started;
}

function edited(object: IstioObject, change: (spec: Record<string, unknown>) => void): IstioObject {
  const copy = structuredClone(object);
  change(copy.spec);
  return copy;
}

/** One change per kind that matters: a route, a DestinationRule, an mTLS policy; each reverted after. */
function changes(istio: IstioObject[]): { name: string; before: IstioObject; after: IstioObject }[] {
  const pick = (kind: string, name?: string) =>
    istio.find(
      (object) => object.kind === kind && object.namespace === 'team-1' && (!name || object.name === name),
    );
  const virtualService = pick('VirtualService', 'app-3');
  const rule = pick('DestinationRule', 'app-5');
  const policy = pick('PeerAuthentication');
  if (!virtualService || !rule || !policy) throw new Error('synthetic mesh lacks the objects to change');
  return [
    {
      name: 'virtualservice',
      before: virtualService,
      after: edited(virtualService, (spec) => {
        spec.http = [{ route: [{ destination: { host: 'app-3', subset: 'v9' } }] }];
      }),
    },
    { name: 'destinationrule', before: rule, after: edited(rule, (spec) => (spec.subsets = [])) },
    {
      name: 'peerauthentication',
      before: policy,
      after: edited(policy, (spec) => (spec.mtls = { mode: 'DISABLE' })),
    },
  ];
}

export async function run(report: Report): Promise<void> {
  for (const size of sizes) {
    const { snapshot, objects } = syntheticMesh(size);
    report.figure(`full.${size}.objects`, objects, 'objects');
    report.figure(`full.${size}.istio_objects`, snapshot.istio.length, 'Istio objects');
    let findings = 0;
    for (let warmup = 0; warmup < warmups; warmup++) validate(snapshot);
    const times: number[] = [];
    for (let repetition = 0; repetition < fullRuns(size); repetition++) {
      times.push(time(() => (findings = validate(snapshot).length)));
    }
    report.figure(`full.${size}.median`, percentile(times, 50), 'ms');
    report.figure(`full.${size}.p95`, percentile(times, 95), 'ms');
    report.figure(`full.${size}.findings`, findings, 'findings');

    const validator = new Validator(snapshot);
    const incremental: number[] = [];
    for (const change of changes(snapshot.istio)) {
      let rechecked = 0;
      incremental.push(time(() => (rechecked = validator.apply({ upsert: [change.after] }))));
      report.figure(`incremental.${size}.${change.name}.rechecked`, rechecked, 'objects');
      report.figure(`incremental.${size}.${change.name}`, incremental.at(-1) ?? Number.NaN, 'ms');
      validator.apply({ upsert: [change.before] });
    }
    report.figure(`incremental.${size}.median`, percentile(incremental, 50), 'ms');
    const [first] = changes(snapshot.istio);
    if (first)
      report.figure(
        `preview.${size}`,
        time(() => validator.preview([first.after])),
        'ms',
      );
  }
  report.note(
    'full.N includes building the indexes; incremental.N is one apply() on a built validator (one run each, cold caches)',
  );
}
