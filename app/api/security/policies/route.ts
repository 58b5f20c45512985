import { parseSecurityQuery } from '@/lib/security/schema';
import type { PoliciesResponse } from '@/lib/types/security';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { jsonResponse } from '@/server/responses';
import { getPolicies } from '@/server/security';

/**
 * `GET /api/security/policies?namespaces=a,b` -> PoliciesResponse (docs/api.md): every
 * AuthorizationPolicy (rules in words), PeerAuthentication and RequestAuthentication with the
 * workloads they select, and per workload its policies in evaluation order and default action.
 */
export const GET = apiRoute({ route: '/api/security/policies', access: 'read' }, async ({ request }) => {
  const parsed = parseSecurityQuery(new URL(request.url).searchParams);
  if (!parsed.ok) {
    throw new AppError('invalid', `Invalid policies query: ${parsed.problems.join('; ')}`, {
      details: { problems: parsed.problems },
    });
  }
  return jsonResponse<PoliciesResponse>(await getPolicies(parsed.value.namespaces));
});
