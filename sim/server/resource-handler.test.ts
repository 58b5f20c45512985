/**
 * Lists over real HTTPS: paging with continue tokens across namespaces whose names prefix one
 * another, with and without selectors, as a Table, and the errors of a bad continue token.
 */
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '../testing/simulator-fixture';

interface ListBody {
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items?: { metadata: { namespace?: string; name: string } }[];
  rows?: { cells: unknown[] }[];
  code?: number;
  reason?: string;
}

/** `team` is a prefix of `team-a`, and `-` sorts before `/`: the case a `namespace/name` key gets wrong. */
const namespaces = ['team', 'team-a', 'team-b'];
const perNamespace = 5;

let simulator: TestSimulator;

function send(
  method: string,
  path: string,
  options: { body?: unknown; accept?: string } = {},
): Promise<{ status: number; body: ListBody }> {
  const admin = simulator.users.find((user) => user.id === 'admin');
  if (!admin) throw new Error('the simulator has no admin user');
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      new URL(path, simulator.url),
      {
        method,
        ca: simulator.caCertificate,
        headers: {
          Authorization: `Bearer ${admin.token}`,
          Accept: options.accept ?? 'application/json',
          ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as ListBody });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

async function list(path: string, accept?: string): Promise<ListBody> {
  const { status, body } = await send('GET', path, accept ? { accept } : {});
  if (status !== 200) throw new Error(`GET ${path} answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

/** Follow continue tokens from `path` (which carries `limit=`); every page, in order. */
async function walk(path: string, accept?: string): Promise<ListBody[]> {
  const pages: ListBody[] = [];
  let token: string | undefined;
  do {
    const page = await list(token ? `${path}&continue=${encodeURIComponent(token)}` : path, accept);
    pages.push(page);
    token = page.metadata.continue;
    if (pages.length > 100) throw new Error('the walk does not end');
  } while (token);
  return pages;
}

const keys = (pages: ListBody[]) =>
  pages.flatMap((page) =>
    (page.items ?? []).map((item) => `${item.metadata.namespace}/${item.metadata.name}`),
  );

beforeAll(async () => {
  simulator = await startTestSimulator({ scenario: 'bare' });
  for (const namespace of namespaces) {
    await send('POST', '/api/v1/namespaces', {
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    });
    for (let index = 0; index < perNamespace; index += 1) {
      const { status } = await send('POST', `/api/v1/namespaces/${namespace}/configmaps`, {
        body: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `config-${index}`, labels: { parity: index % 2 === 0 ? 'even' : 'odd' } },
        },
      });
      expect(status).toBe(201);
    }
  }
});

afterAll(async () => {
  await simulator?.dispose();
});

describe('paged lists', () => {
  it('walks every namespace with limit=2 and returns each object exactly once, in list order', async () => {
    const everything = keys([await list('/api/v1/configmaps')]);
    for (const namespace of namespaces)
      expect(everything.filter((key) => key.startsWith(`${namespace}/`))).toHaveLength(perNamespace);

    const pages = await walk('/api/v1/configmaps?limit=2');
    const walked = keys(pages);
    expect(walked).toEqual(everything);
    expect(new Set(walked).size).toBe(walked.length);
    expect(pages.every((page) => (page.items ?? []).length <= 2)).toBe(true);
    // one resourceVersion for the whole walk, as a consistent list has
    expect(new Set(pages.map((page) => page.metadata.resourceVersion)).size).toBe(1);
  });

  it('counts the objects left after each page when there is no selector', async () => {
    const pages = await walk('/api/v1/configmaps?limit=4');
    const total = keys(pages).length;
    let served = 0;
    for (const page of pages) {
      served += page.items?.length ?? 0;
      if (page.metadata.continue) expect(page.metadata.remainingItemCount).toBe(total - served);
      else expect(page.metadata.remainingItemCount).toBeUndefined();
    }
    expect(pages.at(-1)?.items?.length).toBeGreaterThan(0);
  });

  it('pages a label-selected list without an empty last page, and without remainingItemCount', async () => {
    const pages = await walk('/api/v1/configmaps?limit=3&labelSelector=parity%3Dodd');
    const expected = namespaces.flatMap((namespace) => [`${namespace}/config-1`, `${namespace}/config-3`]);
    expect(keys(pages)).toEqual(expected);
    expect(pages.every((page) => (page.items ?? []).length > 0)).toBe(true);
    expect(pages.every((page) => page.metadata.remainingItemCount === undefined)).toBe(true);
  });

  it('pages within one namespace and as a Table', async () => {
    const inTeam = await walk('/api/v1/namespaces/team-a/configmaps?limit=2');
    expect(keys(inTeam)).toEqual(
      Array.from({ length: perNamespace }, (_, index) => `team-a/config-${index}`),
    );
    const table = await walk(
      '/api/v1/namespaces/team/configmaps?limit=2',
      'application/json;as=Table;v=v1;g=meta.k8s.io',
    );
    expect(table.flatMap((page) => (page.rows ?? []).map((row) => row.cells[0]))).toEqual(
      Array.from({ length: perNamespace }, (_, index) => `config-${index}`),
    );
  });

  it('answers 400 for a continue token it did not issue', async () => {
    const garbage = await send('GET', '/api/v1/configmaps?limit=2&continue=not-a-token');
    expect(garbage.status).toBe(400);
    const oldShape = Buffer.from(JSON.stringify({ resourceVersion: '1', after: 'team/config-1' })).toString(
      'base64url',
    );
    const old = await send('GET', `/api/v1/configmaps?limit=2&continue=${oldShape}`);
    expect(old.status).toBe(400);
    expect(old.body.reason).toBe('BadRequest');
  });
});
