import type { NamespacesResponse } from '@/lib/types/namespace';
import { apiRoute } from '@/server/api-route';
import { listNamespaces } from '@/server/namespaces';
import { jsonResponse } from '@/server/responses';

/** `GET /api/namespaces` -> `{namespaces, warnings}`; 503 `unavailable:kube` when the cluster is unreachable. */
export const GET = apiRoute({ route: '/api/namespaces', access: 'read' }, async () => {
  const namespaces = await listNamespaces();
  return jsonResponse<NamespacesResponse>({ namespaces, warnings: [] });
});
