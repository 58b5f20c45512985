# syntax=docker/dockerfile:1
#
# Meshscope's container image: Next's standalone output on Node 24, run as a non-root user.
#   docker build -t ghcr.io/meshscope/meshscope:0.1.0 .
# The chart (deploy/helm/meshscope) runs it with a read-only root filesystem; /tmp and
# /app/.next/cache are the only writable paths (emptyDir volumes there).

ARG NODE_IMAGE=node:24-bookworm-slim

# 1. Dependencies, exactly as the lock file says.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund

# 2. The production build. MESHSCOPE_STANDALONE=1 turns on `output: 'standalone'` in
#    next.config.ts: server.js plus only the node_modules the server needs.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    MESHSCOPE_STANDALONE=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN mkdir -p public && npm run build

# 3. The runtime: no npm, no sources, no build tools; files owned by root, read-only to the app.
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=8080 \
    MESHSCOPE_AUTH_MODE=token \
    MESHSCOPE_READ_ONLY=true
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/public ./public
RUN mkdir -p .next/cache && chown 1000:1000 .next/cache \
    && rm -rf /usr/local/lib/node_modules/npm /usr/local/bin/npm /usr/local/bin/npx
# The image's `node` user, by number so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/api/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
