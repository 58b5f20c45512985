/**
 * A token the cluster refused is remembered for a few seconds, so a client repeating it (or
 * sending random ones) costs the API server one review per token, not one per request. Observed
 * from outside: with the API server stopped, the refused token is still answered 401 at once,
 * while a token never seen needs the server and gets 503.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '../../sim/testing/simulator-fixture';
import { verifyToken } from './authenticate';

describe('refused tokens', () => {
  let simulator: TestSimulator;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bare', manualTraffic: true });
    process.env.MESHSCOPE_KUBECONFIG = simulator.kubeconfigs.viewer;
    process.env.MESHSCOPE_AUTH_MODE = 'token';
    process.env.MESHSCOPE_LOG_LEVEL = 'silent';
  });
  afterAll(async () => {
    await simulator?.dispose();
  });

  it('answers a refused token from memory, and still asks the cluster about new ones', async () => {
    await expect(verifyToken('not-a-token-of-this-cluster')).rejects.toMatchObject({
      code: 'unauthorized:token',
    });
    await simulator.stop();
    try {
      await expect(verifyToken('not-a-token-of-this-cluster')).rejects.toMatchObject({
        code: 'unauthorized:token',
      });
      await expect(verifyToken('another-unknown-token')).rejects.toMatchObject({ status: 503 });
    } finally {
      await simulator.restart();
    }
  });
});
