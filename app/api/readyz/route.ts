import { toAppError } from '@/server/errors';
import { checkReadiness } from '@/server/health';
import { jsonResponse, logAppError } from '@/server/responses';

/** Readiness: 200 when the Kubernetes API answers, 503 with the cause otherwise (whatever it is). */
export async function GET() {
  try {
    const readiness = await checkReadiness();
    return jsonResponse({ status: 'ready', ...readiness });
  } catch (error) {
    const appError = toAppError(error);
    logAppError(appError, '/api/readyz');
    return jsonResponse({ status: 'unavailable', code: appError.code, message: appError.message }, 503);
  }
}
