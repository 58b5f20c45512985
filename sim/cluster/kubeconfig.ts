/** Kubeconfig files for the simulated cluster's users, readable by kubectl and client-node. */
import { stringify } from 'yaml';
import type { SimulatedUser } from './auth';

export const simulatedClusterName = 'meshscope-sim';

export function kubeconfigFor(user: SimulatedUser, server: string, caCertificate: string): string {
  const context = `${simulatedClusterName}-${user.id}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [
      {
        name: simulatedClusterName,
        cluster: { server, 'certificate-authority-data': Buffer.from(caCertificate).toString('base64') },
      },
    ],
    users: [{ name: user.username, user: { token: user.token } }],
    contexts: [
      {
        name: context,
        context: { cluster: simulatedClusterName, user: user.username, namespace: 'default' },
      },
    ],
    'current-context': context,
  });
}
