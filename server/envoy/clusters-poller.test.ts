import { describe, expect, it } from 'vitest';
import { clusterCounters } from './clusters-poller';

/** Envoy's `/stats/prometheus` lines for a caller whose proxyStatsMatcher includes them. */
const stats = `# TYPE envoy_cluster_outlier_detection_ejections_active gauge
envoy_cluster_outlier_detection_ejections_active{cluster_name="outbound|9080|v3|reviews.default.svc.cluster.local"} 1
# TYPE envoy_cluster_outlier_detection_ejections_enforced_total counter
envoy_cluster_outlier_detection_ejections_enforced_total{cluster_name="outbound|9080|v3|reviews.default.svc.cluster.local"} 4
# TYPE envoy_cluster_upstream_rq_pending_overflow counter
envoy_cluster_upstream_rq_pending_overflow{cluster_name="outbound|9080|v1|reviews.default.svc.cluster.local"} 212
envoy_cluster_upstream_cx_overflow{cluster_name="outbound|9080|v1|reviews.default.svc.cluster.local"} 17
envoy_cluster_upstream_rq_total{cluster_name="outbound|9080|v1|reviews.default.svc.cluster.local"} 9000
istio_requests_total{reporter="source",response_flags="UO"} 212
envoy_server_live{} 1
`;

describe('clusterCounters', () => {
  it('reads the outlier and overflow counters per cluster, ignoring the rest', () => {
    const counters = clusterCounters(stats);
    expect(Object.fromEntries(counters)).toEqual({
      'outbound|9080|v3|reviews.default.svc.cluster.local': {
        ejectionsActive: 1,
        ejectionsEnforced: 4,
        pendingOverflow: 0,
        connectionOverflow: 0,
      },
      'outbound|9080|v1|reviews.default.svc.cluster.local': {
        ejectionsActive: 0,
        ejectionsEnforced: 0,
        pendingOverflow: 212,
        connectionOverflow: 17,
      },
    });
  });
});
