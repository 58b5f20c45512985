import { parseMtlsQuery } from '@/lib/security/schema';
import type { MtlsResponse } from '@/lib/types/security';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { jsonResponse } from '@/server/responses';
import { getMtls } from '@/server/security';

/**
 * `GET /api/security/mtls?namespaces=a,b&observed=false` -> MtlsResponse (docs/api.md): the effective mTLS mode
 * of the mesh, each namespace, workload and port with the object that decided it, what clients
 * send, conflicts, and the mTLS share of observed traffic (a warning when telemetry cannot say).
 * 400 `invalid` names each bad parameter.
 */
export const GET = apiRoute({ route: '/api/security/mtls', access: 'read' }, async ({ request }) => {
  const parsed = parseMtlsQuery(new URL(request.url).searchParams);
  if (!parsed.ok) {
    throw new AppError('invalid', `Invalid mTLS query: ${parsed.problems.join('; ')}`, {
      details: { problems: parsed.problems },
    });
  }
  return jsonResponse<MtlsResponse>(
    await getMtls(parsed.value.namespaces, undefined, { observed: parsed.value.observed }),
  );
});
