import { describe, expect, it } from 'vitest';
import type { EdgeKey } from '../types/telemetry';
import {
  groupedEdgeKey,
  groupingFields,
  groupingLabels,
  groupKeyOf,
  projectedEdgeKey,
  responseTimeHops,
  ungrouped,
} from './response-times';

const key: EdgeKey = {
  source: { namespace: 'default', workload: 'productpage-v1', app: 'productpage', version: 'v1' },
  destination: { namespace: 'default', workload: 'reviews-v2', app: 'reviews', version: 'v2' },
  service: { fqdn: 'reviews.default.svc.cluster.local', name: 'reviews', namespace: 'default' },
};

describe('response-time groupings', () => {
  it('groups each hop by the labels that name its two nodes in the graph type', () => {
    expect(groupingLabels(groupingFields('workload', 'caller'))).toEqual([
      'source_workload_namespace',
      'source_workload',
      'destination_service',
      'destination_service_name',
      'destination_service_namespace',
    ]);
    expect(groupingLabels(groupingFields('app', 'callee'))).toEqual([
      'destination_service',
      'destination_service_name',
      'destination_service_namespace',
      'destination_workload_namespace',
      'destination_canonical_service',
    ]);
    expect(groupingLabels(groupingFields('versionedApp', 'caller')).slice(0, 3)).toEqual([
      'source_workload_namespace',
      'source_canonical_service',
      'source_canonical_revision',
    ]);
    // The service graph is reduced from a workload graph.
    expect(groupingLabels(groupingFields('service', 'callee'))).toEqual(
      groupingLabels(groupingFields('workload', 'callee')),
    );
    expect(groupingLabels(groupingFields('app', 'edge'))).toHaveLength(11);
  });

  it('asks for both hops with service nodes and the whole edge without', () => {
    expect(responseTimeHops({ graphType: 'app', injectServiceNodes: true })).toEqual(['caller', 'callee']);
    expect(responseTimeHops({ graphType: 'service', injectServiceNodes: false })).toEqual([
      'caller',
      'callee',
    ]);
    expect(responseTimeHops({ graphType: 'workload', injectServiceNodes: false })).toEqual(['edge']);
    expect(responseTimeHops(undefined)).toEqual(['edge']);
  });

  it('projects an edge key onto a grouping: the same group from labels and from the key', () => {
    const fields = groupingFields('app', 'caller');
    const projected = projectedEdgeKey(fields, key);
    expect(projected.source).toEqual({
      namespace: 'default',
      workload: ungrouped,
      app: 'productpage',
      version: ungrouped,
    });
    expect(projected.destination.workload).toBe(ungrouped);
    expect(projected.service).toEqual(key.service);
    const labels: Record<string, string> = {
      source_workload_namespace: 'default',
      source_canonical_service: 'productpage',
      destination_service: 'reviews.default.svc.cluster.local',
      destination_service_name: 'reviews',
      destination_service_namespace: 'default',
    };
    const fromLabels = groupedEdgeKey(fields, (label) => labels[label] ?? 'unknown');
    expect(fromLabels).toEqual(projected);
    expect(groupKeyOf(fields, fromLabels)).toBe(groupKeyOf(fields, key));
    const otherVersion = { ...key, source: { ...key.source, workload: 'productpage-v2', version: 'v2' } };
    expect(groupKeyOf(fields, otherVersion)).toBe(groupKeyOf(fields, key));
    expect(groupKeyOf(groupingFields('versionedApp', 'caller'), otherVersion)).not.toBe(
      groupKeyOf(groupingFields('versionedApp', 'caller'), key),
    );
  });
});
