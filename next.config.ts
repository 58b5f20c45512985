import type { NextConfig } from 'next';

/**
 * Content-Security-Policy of what is not a page (API answers, /metrics, static files): nothing may
 * run or be framed. Pages get a per-request nonce policy from proxy.ts instead (no 'unsafe-inline'
 * for scripts), which Next applies to its own inline bootstrap scripts.
 */
const contentSecurityPolicy =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'no-referrer' },
  { key: 'X-Frame-Options', value: 'DENY' },
  {
    key: 'Permissions-Policy',
    value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()',
  },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The container image (Dockerfile) runs Next's standalone server.js; `npm start`/`npm run demo`
  // load the regular build with the custom server in bin/, so only the image build asks for it.
  ...(process.env.MESHSCOPE_STANDALONE === '1' ? { output: 'standalone' as const } : {}),
  // Node-only packages loaded with Node's own resolver, not bundled: client-node is ESM with
  // native-ish dependencies (undici, ws), pino spawns worker threads for transports.
  serverExternalPackages: ['@kubernetes/client-node', 'pino'],
  typescript: {
    // `npm run check` type-checks the whole repository (tsc --noEmit) in CI. Skipping the second
    // pass inside `next build` keeps the demo's first build short and independent of work in
    // progress elsewhere (sim/, bench/), which next build would otherwise type-check too.
    ignoreBuildErrors: true,
  },
  async headers() {
    return [
      { source: '/(.*)', headers: securityHeaders },
      {
        source: '/:path(api/.*|metrics|_next/.*)',
        headers: [{ key: 'Content-Security-Policy', value: contentSecurityPolicy }],
      },
    ];
  },
};

export default nextConfig;
