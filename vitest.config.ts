import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('.', import.meta.url)),
      // `server-only` throws outside React's server build; under tests it is the empty module it is there.
      'server-only': fileURLToPath(new URL('node_modules/server-only/empty.js', import.meta.url)),
    },
  },
  test: {
    include: ['{lib,server,sim,bin}/**/*.test.ts'],
    environment: 'node',
    // Route handlers refuse callers without credentials: tests sign in with this launch secret
    // (server/auth/testing.ts `signedIn`), as scripts do with `Authorization: Bearer`.
    env: { MESHSCOPE_LAUNCH_SECRET: 'vitest-launch-secret-0123456789abcdef' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
