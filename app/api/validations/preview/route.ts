import { parsePreviewRequest } from '@/lib/istio-config/requests';
import type { ValidationPreviewResponse } from '@/lib/types/config';
import { AppError } from '@/server/errors';
import { assertSameOriginJson, jsonBody } from '@/server/request-guard';
import { errorResponse, jsonResponse } from '@/server/responses';
import { getValidationService } from '@/server/validations';

/**
 * `POST /api/validations/preview` with `{objects: [manifest...]}` -> `{findings, warnings}`: the
 * findings the drafts would have in the live mesh, CRD schema errors included. Nothing is written
 * and the validation is left as it was. What the object editor lints with.
 */
export async function POST(request: Request) {
  try {
    assertSameOriginJson(request);
    const parsed = parsePreviewRequest(await jsonBody(request));
    if (!parsed.ok) {
      throw new AppError('invalid', `Invalid preview: ${parsed.problems.join('; ')}`, {
        details: { problems: parsed.problems },
      });
    }
    const service = getValidationService();
    const warnings = await service.refresh();
    return jsonResponse<ValidationPreviewResponse>({ findings: service.preview(parsed.query), warnings });
  } catch (error) {
    return errorResponse(error, '/api/validations/preview');
  }
}
