import 'server-only';
import { getCluster } from './kube/cluster';

export interface Readiness {
  /** `gitVersion` the API server reports, e.g. `v1.32.0` */
  kubernetesVersion: string;
}

/**
 * Ready when the API server answers `/version`; throws an AppError with the cause otherwise. The
 * route is public (probes carry no credentials), so the answer names no server address.
 */
export async function checkReadiness(): Promise<Readiness> {
  const cluster = getCluster();
  const info = await cluster.call(() => cluster.version.getCode());
  return { kubernetesVersion: info.gitVersion };
}
