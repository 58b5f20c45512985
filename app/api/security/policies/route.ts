import { parseSecurityQuery } from '@/lib/security/schema';
import type { PoliciesResponse } from '@/lib/types/security';
import { AppError } from '@/server/errors';
import { errorResponse, jsonResponse } from '@/server/responses';
import { getPolicies } from '@/server/security';

/**
 * `GET /api/security/policies?namespaces=a,b` -> PoliciesResponse (docs/api.md): every
 * AuthorizationPolicy (rules in words), PeerAuthentication and RequestAuthentication with the
 * workloads they select, and per workload its policies in evaluation order and default action.
 */
export async function GET(request: Request) {
  try {
    const parsed = parseSecurityQuery(new URL(request.url).searchParams);
    if (!parsed.ok) {
      throw new AppError('invalid', `Invalid policies query: ${parsed.problems.join('; ')}`, {
        details: { problems: parsed.problems },
      });
    }
    return jsonResponse<PoliciesResponse>(await getPolicies(parsed.value.namespaces));
  } catch (error) {
    return errorResponse(error, '/api/security/policies');
  }
}
