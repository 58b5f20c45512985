import { apiRoute } from '@/server/api-route';
import { toAppError } from '@/server/errors';
import { checkReadiness } from '@/server/health';
import { jsonResponse, logAppError } from '@/server/responses';

/** Readiness: 200 when the Kubernetes API answers, 503 with the cause otherwise (whatever it is). */
export const GET = apiRoute({ route: '/api/readyz', access: 'public' }, async () => {
  try {
    const readiness = await checkReadiness();
    return jsonResponse({ status: 'ready', ...readiness });
  } catch (error) {
    const appError = toAppError(error);
    logAppError(appError, '/api/readyz');
    return jsonResponse({ status: 'unavailable', code: appError.code, message: appError.message }, 503);
  }
});
