/** The status when the kubeconfig cannot be loaded: a state to show, not a server error. */
import { describe, expect, it } from 'vitest';
import { signedIn } from './auth/testing';

describe('connection status without a usable kubeconfig', () => {
  it('answers 200 with state "unconfigured" and the reason', async () => {
    process.env.MESHSCOPE_KUBECONFIG = '/nonexistent/meshscope/kubeconfig';
    const { GET } = await import('@/app/api/status/route');
    const response = await GET(signedIn('http://localhost/api/status'));
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      kube: { state: string; server: string | null; message: string };
    };
    expect(body.kube).toMatchObject({ state: 'unconfigured', server: null });
    expect(body.kube.message).toMatch(/Cannot load the kubeconfig \/nonexistent\/meshscope\/kubeconfig/);
  });
});

describe('redactServerUrl', () => {
  it('keeps scheme, host, port and path, and drops user info, query and fragment', async () => {
    const { redactServerUrl } = await import('./connection-status');
    expect(redactServerUrl('https://admin:secret@10.0.0.1:6443/k8s/clusters/c-1/?token=x#y')).toBe(
      'https://10.0.0.1:6443/k8s/clusters/c-1',
    );
    expect(redactServerUrl('https://127.0.0.1:6443')).toBe('https://127.0.0.1:6443');
    expect(redactServerUrl('not a url')).toBe('(unparsable server URL)');
  });
});
