import 'server-only';
import type { Cluster } from '../kube/cluster';

/** What to ask the API server about: one verb on one resource (as `kubectl auth can-i`). */
export interface AccessQuestion {
  verb: string;
  group: string;
  resource: string;
  namespace: string;
  name?: string;
}

export interface AccessAnswer {
  allowed: boolean;
  /** the authorizer's reason, when it gave one */
  reason?: string;
}

/**
 * Asks the API server whether the cluster's identity may do something (a SelfSubjectAccessReview).
 * For showing or hiding controls only: the write itself is still authorized by the API server.
 */
export async function canI(cluster: Cluster, question: AccessQuestion): Promise<AccessAnswer> {
  const review = await cluster.call(() =>
    cluster.authorization.createSelfSubjectAccessReview({
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: {
          resourceAttributes: {
            verb: question.verb,
            group: question.group,
            resource: question.resource,
            namespace: question.namespace,
            ...(question.name !== undefined ? { name: question.name } : {}),
          },
        },
      },
    }),
  );
  const reason = review.status?.reason;
  return { allowed: review.status?.allowed === true, ...(reason ? { reason } : {}) };
}
