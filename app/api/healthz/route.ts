import { jsonResponse } from '@/server/responses';

/** Liveness: the process serves requests. Says nothing about the cluster (that is `/api/readyz`). */
export function GET() {
  return jsonResponse({ status: 'ok' });
}
