import type { NamespacesResponse } from '@/lib/types/namespace';
import { listNamespaces } from '@/server/namespaces';
import { errorResponse, jsonResponse } from '@/server/responses';

/** `GET /api/namespaces` -> `{namespaces, warnings}`; 503 `unavailable:kube` when the cluster is unreachable. */
export async function GET() {
  try {
    const namespaces = await listNamespaces();
    return jsonResponse<NamespacesResponse>({ namespaces, warnings: [] });
  } catch (error) {
    return errorResponse(error, '/api/namespaces');
  }
}
