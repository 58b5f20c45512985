/**
 * The mesh-wide scrape and what backs it at scale: the streamed (and gzipped) exposition of
 * `GET /simulator/v1/metrics`, one TYPE line per family ahead of its series, the same series as
 * the per-pod scrapes; access logs kept in a ring and formatted when read.
 */
import { request } from 'node:https';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsGzip } from '../server/http-util';
import { parseSeries, podNames, scrapePod, simulatorRequest, total } from '../testing/cluster-client';
import { startTestSimulator, type TestSimulator } from '../testing/simulator-fixture';
import { AccessLogRing, AccessLogStrings } from './access-log';
import { ChunkPool, ExpositionWriter, familyCount, SidecarMetrics } from './telemetry';

function rawScrape(
  simulator: TestSimulator,
  acceptEncoding: string | undefined,
): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const token = simulator.users.find((user) => user.id === 'viewer')?.token ?? '';
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${simulator.url}/simulator/v1/metrics`,
      {
        ca: simulator.caCertificate,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('the mesh-wide scrape', () => {
  let simulator: TestSimulator;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'chaos', manualTraffic: true, seed: 5 });
    let now = Date.now();
    for (let second = 0; second < 20; second += 1) {
      now += 1000;
      simulator.engine.tick(now, 1);
    }
  });
  afterAll(async () => simulator?.dispose());

  it('writes each TYPE line once, ahead of all of its family’s series', () => {
    const text = simulator.engine.scrapeAll();
    expect(text.endsWith('\n')).toBe(true);
    const seen = new Set<string>();
    let family = '';
    for (const line of text.split('\n').filter((entry) => entry !== '')) {
      if (line.startsWith('# TYPE ')) {
        family = line.split(' ')[2] ?? '';
        expect(seen.has(family), family).toBe(false);
        seen.add(family);
        continue;
      }
      expect(line.slice(0, line.indexOf('{')).startsWith(family), line).toBe(true);
    }
    expect(seen).toContain('istio_requests_total');
    expect(seen).toContain('istio_tcp_sent_bytes_total');
    expect(seen).toContain('envoy_cluster_outlier_detection_ejections_enforced_total');
  });

  it('has the per-pod scrapes’ series, with namespace and pod labels', async () => {
    const mesh = parseSeries(simulator.engine.scrapeAll());
    let requests = 0;
    for (const pod of await podNames(simulator, 'default', 'app=reviews')) {
      const own = await scrapePod(simulator, 'default', pod);
      const where = { namespace: 'default', pod };
      for (const name of [
        'istio_requests_total',
        'istio_request_duration_milliseconds',
        'istio_response_bytes',
      ])
        expect(total(mesh, name, where), `${name} of ${pod}`).toBe(total(own, name));
      requests += total(own, 'istio_requests_total');
    }
    expect(requests).toBeGreaterThan(0);
  });

  it('streams the same text over HTTPS, gzipped when asked', async () => {
    const expected = simulator.engine.scrapeAll();
    const plain = await rawScrape(simulator, undefined);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['transfer-encoding']).toBe('chunked');
    expect(plain.body.toString('utf8')).toBe(expected);
    const gzipped = await rawScrape(simulator, 'gzip');
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toBe('Accept-Encoding');
    expect(gzipped.body.length).toBeLessThan(plain.body.length / 5);
    expect(gunzipSync(gzipped.body).toString('utf8')).toBe(expected);
    const refused = await rawScrape(simulator, 'gzip;q=0, identity');
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('serves proxy logs from the ring, tail first when asked', async () => {
    const [pod] = await podNames(simulator, 'default', 'app=productpage');
    const all = await simulatorRequest(
      simulator,
      `/api/v1/namespaces/default/pods/${pod}/log?container=istio-proxy`,
    );
    const tail = await simulatorRequest(
      simulator,
      `/api/v1/namespaces/default/pods/${pod}/log?container=istio-proxy&tailLines=3`,
    );
    const lines = all.body.trimEnd().split('\n');
    expect(tail.body.trimEnd().split('\n')).toEqual(lines.slice(-3));
    expect(lines.at(-1)).toMatch(/^\[\d{4}-\d\d-\d\dT[\d:.]+Z\] "GET \/\S* HTTP\/1\.1" \d+ /);
  });
});

describe('the engine’s configuration view', () => {
  let simulator: TestSimulator;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo', manualTraffic: true, seed: 9 });
  });
  afterAll(async () => simulator?.dispose());

  it('is rebuilt only for kinds it reads, and only in the part that changed', () => {
    const engine = simulator.engine;
    const first = engine.meshConfig();
    simulator.cluster.apply([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'unrelated', namespace: 'default' },
        data: {},
      },
    ]);
    expect(engine.meshConfig()).toBe(first);
    const reviews = simulator.cluster.store.get('networking.istio.io/virtualservices', 'default', 'reviews');
    if (!reviews) throw new Error('bookinfo has no reviews VirtualService');
    simulator.cluster.apply([
      {
        ...reviews,
        spec: {
          hosts: ['reviews'],
          http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }],
        },
      },
    ]);
    const second = engine.meshConfig();
    expect(second).not.toBe(first);
    expect([...second.rebuilt]).toEqual(['routing']);
    expect(second.pods).toBe(first.pods);
    expect(second.virtualServiceFor('reviews.default.svc.cluster.local', 'default')?.spec).toEqual({
      hosts: ['reviews'],
      http: [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }],
    });
  });
});

describe('scrape building blocks', () => {
  it('reads Accept-Encoding as HTTP does', () => {
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('deflate, gzip;q=0.5')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('*, gzip;q=0')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });

  it('keeps the last entries of a ring, oldest first', () => {
    const ring = new AccessLogRing(new AccessLogStrings(), 20);
    const time = Date.UTC(2025, 0, 1);
    for (let index = 0; index < 45; index += 1)
      ring.add(
        time + index,
        'GET',
        `/${index}`,
        '-',
        200,
        '-',
        10,
        1.4,
        'inbound|80||',
        '10.0.0.1:80',
        '10.0.0.1',
      );
    expect(ring.length).toBe(20);
    const lines = ring.lines();
    expect(lines).toHaveLength(20);
    expect(lines[0]).toContain('"GET /25 HTTP/1.1" 200 - via_upstream "-" 0 10 1 1 ');
    expect(lines[19]).toBe(
      '[2025-01-01T00:00:00.044Z] "GET /44 HTTP/1.1" 200 - via_upstream "-" 0 10 1 1 "-" "meshscope-sim" "-" "-" "10.0.0.1:80" inbound|80|| 10.0.0.1:0 - -',
    );
    expect(ring.lines(2)).toEqual(lines.slice(-2));
    expect(ring.lines(0)).toEqual([]);
  });

  it('writes histograms and counters as the text format has them, in reused chunks', () => {
    const metrics = new SidecarMetrics({ namespace: 'ns', name: 'pod-1' });
    metrics.recordRequest('reporter="source",x="a\\"b"', 12.5, 300, 2_000_000);
    metrics.recordRequest('reporter="source",x="a\\"b"', 7, 300, 100);
    const pool = new ChunkPool(256, 4);
    const chunks: string[] = [];
    const writer = new ExpositionWriter((chunk) => {
      chunks.push(chunk.toString('utf8'));
      pool.give(chunk);
    }, pool);
    for (let family = 0; family < familyCount; family += 1) {
      let typed = false;
      metrics.writeFamily(writer, family, true, [], () => {
        if (!typed) writer.typeLine(family);
        typed = true;
      });
    }
    writer.flush();
    expect(chunks.length).toBeGreaterThan(5);
    const text = chunks.join('');
    expect(text).toContain(
      '# TYPE istio_requests_total counter\nistio_requests_total{namespace="ns",pod="pod-1",reporter="source",x="a\\"b"} 2\n',
    );
    expect(text).toContain(
      'istio_request_duration_milliseconds_bucket{namespace="ns",pod="pod-1",reporter="source",x="a\\"b",le="10"} 1\n',
    );
    expect(text).toContain(
      'istio_request_duration_milliseconds_bucket{namespace="ns",pod="pod-1",reporter="source",x="a\\"b",le="+Inf"} 2\n',
    );
    expect(text).toContain(
      'istio_request_duration_milliseconds_sum{namespace="ns",pod="pod-1",reporter="source",x="a\\"b"} 19.5\n',
    );
    expect(text).toContain(
      'istio_response_bytes_bucket{namespace="ns",pod="pod-1",reporter="source",x="a\\"b",le="1000000"} 1\n',
    );
    expect(metrics.render([])).toBe(text.replaceAll('namespace="ns",pod="pod-1",', ''));
  });
});
