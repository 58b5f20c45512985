import { parseAuthzCheckRequest } from '@/lib/security/schema';
import type { AuthzCheckResponse } from '@/lib/types/security';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { jsonBody } from '@/server/request-guard';
import { jsonResponse } from '@/server/responses';
import { checkAuthorization } from '@/server/security';

/**
 * `POST /api/security/authz/check` with `{source, destination, request}` -> AuthzCheckResponse
 * (docs/api.md): ALLOW, DENY or CUSTOM (the external authorizer decides), the deciding policy and
 * rule, and why. Nothing is written, but it is a POST with a body, so it gets the write checks
 * (same-origin JSON, CSRF token). 400 `invalid` names each bad field; 404 when the destination
 * (or the named source) workload does not exist.
 */
export const POST = apiRoute({ route: '/api/security/authz/check', access: 'write' }, async ({ request }) => {
  const parsed = parseAuthzCheckRequest(await jsonBody(request));
  if (!parsed.ok) {
    throw new AppError('invalid', `Invalid authorization check: ${parsed.problems.join('; ')}`, {
      details: { problems: parsed.problems },
    });
  }
  return jsonResponse<AuthzCheckResponse>(await checkAuthorization(parsed.value));
});
