/**
 * How a simulated workload behaves, read from its pod's annotations so a scenario — or a test with
 * `kubectl annotate` — can change it on a live cluster:
 *
 * - `simulator.meshscope.io/calls`: JSON list of calls made for each request served,
 *   `[{"host":"reviews","port":9080,"path":"/reviews/0","method":"GET","headers":{},"protocol":"http","count":1}]`;
 *   a host outside the cluster (`httpbin.org`) goes to the ServiceEntry that declares it, else
 *   through PassthroughCluster or BlackHoleCluster (see MeshConfig.externalService)
 * - `simulator.meshscope.io/generate`: JSON list of requests the workload originates on its own,
 *   same fields plus `rps`, and `gateway` (`NAMESPACE/NAME`) for traffic entering through an
 *   ingress gateway from outside the mesh
 * - `simulator.meshscope.io/error-rate`: share of requests answered 500 (`0.9` = 90 %)
 * - `simulator.meshscope.io/latency-ms`: median response time in milliseconds
 * - `simulator.meshscope.io/response-bytes`: typical response size in bytes
 */
import type { MeshPod } from './mesh-config';

export const annotationPrefix = 'simulator.meshscope.io/';

export interface CallSpec {
  host: string;
  port: number;
  path: string;
  method: string;
  headers: Record<string, string>;
  protocol: 'http' | 'tcp';
  /** calls per request served */
  count: number;
}

export interface GeneratorSpec extends CallSpec {
  /** requests per second */
  rps: number;
  /** `NAMESPACE/NAME` of the Gateway the requests arrive through, for ingress traffic */
  gateway: string | undefined;
}

export interface Behaviour {
  calls: CallSpec[];
  generate: GeneratorSpec[];
  errorRate: number;
  latencyMs: number;
  responseBytes: number;
}

function parseList(text: string | undefined): Record<string, unknown>[] {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed)
      ? parsed.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null)
      : [];
  } catch {
    // A malformed annotation means "no such behaviour", never a crash of the mesh.
    return [];
  }
}

function call(entry: Record<string, unknown>): CallSpec {
  return {
    host: typeof entry.host === 'string' ? entry.host : '',
    port: typeof entry.port === 'number' ? entry.port : 80,
    path: typeof entry.path === 'string' ? entry.path : '/',
    method: typeof entry.method === 'string' ? entry.method : 'GET',
    headers:
      typeof entry.headers === 'object' && entry.headers !== null
        ? (entry.headers as Record<string, string>)
        : {},
    protocol: entry.protocol === 'tcp' ? 'tcp' : 'http',
    count: typeof entry.count === 'number' ? entry.count : 1,
  };
}

function number(text: string | undefined, fallback: number): number {
  const value = text === undefined ? Number.NaN : Number(text);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

const cache = new WeakMap<object, Behaviour>();

export function behaviourOf(pod: MeshPod): Behaviour {
  if (pod.behaviour) return pod.behaviour;
  const cached = cache.get(pod.object);
  if (cached) {
    pod.behaviour = cached;
    return cached;
  }
  const annotations = pod.object.metadata.annotations ?? {};
  const read = (name: string) => annotations[`${annotationPrefix}${name}`];
  const behaviour: Behaviour = {
    calls: parseList(read('calls'))
      .map(call)
      .filter((entry) => entry.host !== ''),
    generate: parseList(read('generate'))
      .map((entry) => ({
        ...call(entry),
        rps: typeof entry.rps === 'number' ? entry.rps : 1,
        gateway: typeof entry.gateway === 'string' ? entry.gateway : undefined,
      }))
      .filter((entry) => entry.host !== ''),
    errorRate: Math.min(1, number(read('error-rate'), 0)),
    latencyMs: number(read('latency-ms'), 10),
    responseBytes: number(read('response-bytes'), 1000),
  };
  cache.set(pod.object, behaviour);
  pod.behaviour = behaviour;
  return behaviour;
}

export function callsAnnotation(calls: Partial<CallSpec>[]): Record<string, string> {
  return { [`${annotationPrefix}calls`]: JSON.stringify(calls) };
}

export function generateAnnotation(generators: Partial<GeneratorSpec>[]): Record<string, string> {
  return { [`${annotationPrefix}generate`]: JSON.stringify(generators) };
}
