import { apiRoute } from '@/server/api-route';
import { jsonResponse } from '@/server/responses';

/** Liveness: the process serves requests. Says nothing about the cluster (that is `/api/readyz`). */
export const GET = apiRoute({ route: '/api/healthz', access: 'public' }, () =>
  jsonResponse({ status: 'ok' }),
);
