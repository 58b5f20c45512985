import { parsePreviewRequest } from '@/lib/istio-config/requests';
import type { ValidationPreviewResponse } from '@/lib/types/config';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { jsonBody } from '@/server/request-guard';
import { jsonResponse } from '@/server/responses';
import { getValidationService } from '@/server/validations';

/**
 * `POST /api/validations/preview` with `{objects: [manifest...]}` -> `{findings, warnings}`: the
 * findings the drafts would have in the live mesh, CRD schema errors included. Nothing is written
 * and the validation is left as it was. What the object editor lints with; a POST with a body, so
 * it gets the write checks (same-origin JSON, CSRF token).
 */
export const POST = apiRoute({ route: '/api/validations/preview', access: 'write' }, async ({ request }) => {
  const parsed = parsePreviewRequest(await jsonBody(request));
  if (!parsed.ok) {
    throw new AppError('invalid', `Invalid preview: ${parsed.problems.join('; ')}`, {
      details: { problems: parsed.problems },
    });
  }
  const service = getValidationService();
  const warnings = await service.refresh();
  return jsonResponse<ValidationPreviewResponse>({ findings: service.preview(parsed.query), warnings });
});
