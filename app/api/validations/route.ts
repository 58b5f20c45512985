import { parseValidationsQuery } from '@/lib/istio-config/params';
import type { ValidationsResponse } from '@/lib/types/config';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { jsonResponse } from '@/server/responses';
import { getValidations } from '@/server/validations';

/**
 * `GET /api/validations?namespaces=a,b&summary=false` -> ValidationsResponse (docs/api.md): the
 * findings of the namespaces' objects (every namespace when unset), counts per severity and
 * namespace, and warnings for checks that could not run. 400 `invalid` names each bad parameter.
 */
export const GET = apiRoute({ route: '/api/validations', access: 'read' }, async ({ request }) => {
  const parsed = parseValidationsQuery(new URL(request.url).searchParams);
  if (!parsed.ok) {
    throw new AppError('invalid', `Invalid validations query: ${parsed.problems.join('; ')}`, {
      details: { problems: parsed.problems },
    });
  }
  const { namespaces, summary } = parsed.query;
  return jsonResponse<ValidationsResponse>(await getValidations(namespaces, { summary }));
});
