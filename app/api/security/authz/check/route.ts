import { parseAuthzCheckRequest } from '@/lib/security/schema';
import type { AuthzCheckResponse } from '@/lib/types/security';
import { AppError } from '@/server/errors';
import { assertSameOriginJson, jsonBody } from '@/server/request-guard';
import { errorResponse, jsonResponse } from '@/server/responses';
import { checkAuthorization } from '@/server/security';

/**
 * `POST /api/security/authz/check` with `{source, destination, request}` -> AuthzCheckResponse
 * (docs/api.md): ALLOW, DENY or CUSTOM (the external authorizer decides), the deciding policy and
 * rule, and why. Nothing is written. 400 `invalid` names each bad field; 404 when the destination
 * (or the named source) workload does not exist.
 */
export async function POST(request: Request) {
  try {
    assertSameOriginJson(request);
    const parsed = parseAuthzCheckRequest(await jsonBody(request));
    if (!parsed.ok) {
      throw new AppError('invalid', `Invalid authorization check: ${parsed.problems.join('; ')}`, {
        details: { problems: parsed.problems },
      });
    }
    return jsonResponse<AuthzCheckResponse>(await checkAuthorization(parsed.value));
  } catch (error) {
    return errorResponse(error, '/api/security/authz/check');
  }
}
