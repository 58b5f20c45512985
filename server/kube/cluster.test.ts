import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { callerKubeConfig } from './cluster';

function baseKubeConfig(): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'sim', server: 'https://127.0.0.1:6443', skipTLSVerify: true }],
    users: [{ name: 'dashboard', token: 'dashboard-own-token' }],
    contexts: [{ name: 'sim-ctx', cluster: 'sim', user: 'dashboard' }],
    currentContext: 'sim-ctx',
  });
  return kubeConfig;
}

async function headersOf(kubeConfig: KubeConfig): Promise<Record<string, string>> {
  const options: { headers?: Record<string, string> } = {};
  await kubeConfig.applyToHTTPSOptions(options);
  return options.headers ?? {};
}

describe('callerKubeConfig', () => {
  it("a token caller replaces the kubeconfig's credential: the dashboard's own token is never sent", async () => {
    const kubeConfig = callerKubeConfig(baseKubeConfig(), { kind: 'token', token: () => 'alice-token' });
    expect(kubeConfig.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
    expect(kubeConfig.getCurrentContext()).toBe('sim-ctx');
    const headers = await headersOf(kubeConfig);
    expect(headers.Authorization).toBe('Bearer alice-token');
    expect(JSON.stringify(kubeConfig.users)).not.toContain('dashboard-own-token');
  });

  it('an impersonated caller keeps the dashboard credential and asks to act as the user and group', async () => {
    const kubeConfig = callerKubeConfig(baseKubeConfig(), {
      kind: 'impersonate',
      user: 'bob@example.org',
      groups: ['mesh-operators'],
    });
    const headers = await headersOf(kubeConfig);
    expect(headers).toMatchObject({
      Authorization: 'Bearer dashboard-own-token',
      'Impersonate-User': 'bob@example.org',
      // A list: Node sends one header line per group (server/kube/impersonation.test.ts checks the wire).
      'Impersonate-Group': ['mesh-operators'],
    });
  });

  it('the kubeconfig identity is the kubeconfig itself', () => {
    const base = baseKubeConfig();
    expect(callerKubeConfig(base, { kind: 'kubeconfig' })).toBe(base);
  });
});
