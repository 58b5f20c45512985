/**
 * The audit log of writes, as it leaves the process: every write the dashboard makes or tries
 * through safePatch and safeCreate is one structured pino line (user, object, before/after,
 * resourceVersions, result), and no line carries a credential. Writes go to the simulated cluster.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '@/sim/testing/simulator-fixture';
import { AppError } from '../errors';
import { type Cluster, clusterFromKubeConfig, loadKubeConfig } from '../kube/cluster';
import { logger } from '../logger';
import { safeCreate } from './safe-create';
import { type ObjectTarget, readObject, safePatch } from './safe-write';

const reviews: ObjectTarget = {
  group: 'networking.istio.io',
  version: 'v1',
  plural: 'virtualservices',
  kind: 'VirtualService',
  namespace: 'default',
  name: 'reviews',
};

interface AuditLine {
  level: number;
  time: number;
  log: string;
  msg: string;
  audit: {
    time: string;
    actor: string;
    object: { group: string; kind: string; namespace: string; name: string };
    changes: { path: string; before: unknown; after: unknown }[];
    resourceVersionBefore: string;
    resourceVersionAfter?: string;
    result: string;
    message?: string;
  };
}

describe('the audit log of writes', () => {
  let simulator: TestSimulator;
  let admin: Cluster;
  let viewer: Cluster;
  const lines: string[] = [];
  const original: unknown = Reflect.get(logger, pino.symbols.streamSym);

  /** Lines written since `from`, parsed; the audit ones only. */
  const auditLines = (from: number): AuditLine[] =>
    lines
      .slice(from)
      .map((line) => JSON.parse(line) as AuditLine)
      .filter((line) => line.log === 'audit');

  beforeAll(async () => {
    // The logger's own destination, swapped for one that keeps the lines: what stdout would get.
    Reflect.set(logger, pino.symbols.streamSym, { write: (line: string) => lines.push(line) });
    simulator = await startTestSimulator({ scenario: 'bookinfo', manualTraffic: true });
    admin = clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.admin, undefined));
    viewer = clusterFromKubeConfig(loadKubeConfig(simulator.kubeconfigs.viewer, undefined));
  });
  afterAll(async () => {
    Reflect.set(logger, pino.symbols.streamSym, original);
    await simulator?.dispose();
  });

  it('writes one record per applied write: who, what, before and after, resourceVersions', async () => {
    const from = lines.length;
    const read = await readObject(admin, reviews);
    const result = await safePatch(admin, {
      target: reviews,
      resourceVersion: read.metadata.resourceVersion,
      operations: [
        { op: 'replace', path: '/spec/http/0/route/0/weight', value: 70 },
        { op: 'replace', path: '/spec/http/0/route/1/weight', value: 30 },
      ],
      actor: 'jane@example.com',
    });
    const [line, ...more] = auditLines(from);
    expect(more).toEqual([]);
    expect(line?.level).toBe(30);
    expect(line?.msg).toBe('applied: VirtualService default/reviews by jane@example.com');
    expect(line?.audit).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      actor: 'jane@example.com',
      object: { group: 'networking.istio.io', kind: 'VirtualService', namespace: 'default', name: 'reviews' },
      changes: [
        { path: '/spec/http/0/route/0/weight', before: 50, after: 70 },
        { path: '/spec/http/0/route/1/weight', before: 50, after: 30 },
      ],
      resourceVersionBefore: read.metadata.resourceVersion,
      resourceVersionAfter: result.resourceVersion,
      result: 'applied',
    });
    expect(result.resourceVersion).not.toBe(read.metadata.resourceVersion);
  });

  it('records dry runs, conflicts, refusals and creates, each once', async () => {
    const from = lines.length;
    const read = await readObject(admin, reviews);
    const operations = [{ op: 'replace' as const, path: '/spec/http/0/route/0/weight', value: 60 }];
    await safePatch(admin, {
      target: reviews,
      resourceVersion: read.metadata.resourceVersion,
      operations,
      actor: 'jane',
      dryRun: true,
    });
    await expect(
      safePatch(admin, { target: reviews, resourceVersion: '1', operations, actor: 'jane' }),
    ).rejects.toMatchObject({ code: 'conflict:resource-version' });
    const refused = await safePatch(viewer, {
      target: reviews,
      resourceVersion: read.metadata.resourceVersion,
      operations,
      actor: 'meshscope-viewer',
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    await safeCreate(admin, {
      target: { ...reviews, plural: 'destinationrules', kind: 'DestinationRule', name: 'audit-test' },
      body: {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'audit-test', namespace: 'default' },
        spec: { host: 'reviews' },
      },
      actor: 'jane',
    });

    const records = auditLines(from).map((line) => line.audit);
    expect(records.map((record) => [record.result, record.actor, record.object.kind])).toEqual([
      ['dry-run', 'jane', 'VirtualService'],
      ['conflict', 'jane', 'VirtualService'],
      ['forbidden', 'meshscope-viewer', 'VirtualService'],
      ['applied', 'jane', 'DestinationRule'],
    ]);
    expect(records[0]?.resourceVersionAfter).toBeUndefined();
    expect(records[1]?.message).toMatch(/changed/i);
    expect(records[2]?.message).toMatch(/forbidden/i);
    expect(records[3]?.resourceVersionAfter).toMatch(/^\d+$/);
  });

  it('never carries a credential, in audit records or any other line written meanwhile', () => {
    expect(lines.length).toBeGreaterThan(0);
    const everything = lines.join('\n');
    for (const user of simulator.users) {
      expect(user.token.length).toBeGreaterThan(10);
      expect(everything.includes(user.token), `${user.id}'s token in the log`).toBe(false);
    }
    expect(everything).not.toMatch(/-----BEGIN|Bearer /);
  });
});
