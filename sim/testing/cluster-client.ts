/** Plain HTTPS requests to a running simulator as one of its users, for tests that read raw text. */
import { request } from 'node:https';
import { parseTextFormat } from '../../lib/prometheus/text-format';
import type { RunningSimulator } from '../simulator';

export interface RawResponse {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export function simulatorRequest(
  simulator: RunningSimulator,
  path: string,
  options: { method?: string; body?: unknown; contentType?: string; user?: string } = {},
): Promise<RawResponse> {
  const token = simulator.users.find((user) => user.id === (options.user ?? 'admin'))?.token ?? '';
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${simulator.url}${path}`,
      {
        method: options.method ?? 'GET',
        ca: simulator.caCertificate,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(payload ? { 'Content-Type': options.contentType ?? 'application/json' } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: response.headers,
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

export interface Series {
  name: string;
  labels: Record<string, string>;
  /** counters and gauges: the value; histograms: the count */
  value: number;
  /** histograms: cumulative counts by `le` */
  buckets?: Record<string, number>;
  sum?: number;
}

/** Every series in Prometheus text; a histogram's `_bucket`, `_sum` and `_count` lines become one series. */
export function parseSeries(text: string): Series[] {
  const series = new Map<string, Series>();
  const plain: Series[] = [];
  const histograms = new Set([...text.matchAll(/^# TYPE (\S+) histogram$/gm)].map((match) => match[1]));
  for (const sample of parseTextFormat(text)) {
    const histogram = /^(.*)_(bucket|sum|count)$/.exec(sample.name);
    if (!histogram?.[1] || !histograms.has(histogram[1])) {
      plain.push(sample);
      continue;
    }
    const { le, ...labels } = sample.labels;
    const key = `${histogram[1]}|${JSON.stringify(labels)}`;
    const entry = series.get(key) ?? { name: histogram[1], labels, value: 0, buckets: {}, sum: 0 };
    if (histogram[2] === 'bucket' && le !== undefined && entry.buckets) entry.buckets[le] = sample.value;
    if (histogram[2] === 'sum') entry.sum = sample.value;
    if (histogram[2] === 'count') entry.value = sample.value;
    series.set(key, entry);
  }
  return [...plain, ...series.values()];
}

/** Sum of `value` over series of `name` matching every given label. */
export function total(series: Series[], name: string, labels: Record<string, string> = {}): number {
  return series
    .filter(
      (entry) =>
        entry.name === name && Object.entries(labels).every(([key, value]) => entry.labels[key] === value),
    )
    .reduce((sum, entry) => sum + entry.value, 0);
}

/** A pod's sidecar stats through the API server's pod proxy (port 15020, as a direct scrape does). */
export async function scrapePod(
  simulator: RunningSimulator,
  namespace: string,
  pod: string,
  port = 15020,
): Promise<Series[]> {
  const response = await simulatorRequest(
    simulator,
    `/api/v1/namespaces/${namespace}/pods/${pod}:${port}/proxy/stats/prometheus`,
  );
  if (response.status !== 200)
    throw new Error(`scrape of ${namespace}/${pod} answered ${response.status}: ${response.body}`);
  return parseSeries(response.body);
}

/** Pod names of a workload (by labels), through the API. */
export async function podNames(
  simulator: RunningSimulator,
  namespace: string,
  labelSelector: string,
): Promise<string[]> {
  const response = await simulatorRequest(
    simulator,
    `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(labelSelector)}`,
  );
  const list = JSON.parse(response.body) as { items: { metadata: { name: string } }[] };
  return list.items.map((item) => item.metadata.name);
}

/** GET an Envoy admin path (port 15000, bound to localhost in the pod) through a port-forward, as Kiali does. */
export async function envoyAdmin(
  simulator: RunningSimulator,
  namespace: string,
  pod: string,
  path: string,
): Promise<string> {
  const { KubeConfig, PortForward } = await import('@kubernetes/client-node');
  const { PassThrough } = await import('node:stream');
  const config = new KubeConfig();
  config.loadFromFile(simulator.kubeconfigs.admin);
  const output = new PassThrough();
  const input = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  const socket = await new PortForward(config).portForward(namespace, pod, [15000], output, null, input);
  input.write(`GET ${path} HTTP/1.1\r\nHost: localhost:15000\r\nConnection: close\r\n\r\n`);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = Buffer.concat(chunks).toString('utf8');
    const split = text.indexOf('\r\n\r\n');
    const length = /content-length: (\d+)/i.exec(text)?.[1];
    if (split !== -1 && length !== undefined && Buffer.byteLength(text.slice(split + 4)) >= Number(length)) {
      if (typeof socket !== 'function') socket.close();
      return text.slice(split + 4);
    }
    if (Date.now() > deadline) throw new Error(`no complete answer from ${pod}:15000${path}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
