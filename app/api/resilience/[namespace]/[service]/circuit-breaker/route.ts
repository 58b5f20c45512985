import { parseCircuitBreakerChange } from '@/lib/resilience/edit-schema';
import type { ResilienceWriteResult } from '@/lib/resilience/edit-types';
import { parseResilienceQuery } from '@/lib/resilience/params';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { jsonBody } from '@/server/request-guard';
import { putCircuitBreaker } from '@/server/resilience-edit';
import { jsonResponse } from '@/server/responses';
import { trafficSplitContext } from '@/server/traffic-split';

/**
 * `PUT /api/resilience/NAMESPACE/SERVICE/circuit-breaker` with `{destinationRule, resourceVersion,
 * subset: null|NAME, connectionPool?, outlierDetection?, dryRun?}` -> ResilienceWriteResult. A section left
 * out is untouched, null removes it. 400 `invalid` with `details.problems`, 409
 * `conflict:resource-version` with `details.current`, 403 `forbidden:read-only` / `forbidden:kube`.
 */
export const PUT = apiRoute<{ namespace: string; service: string }>(
  { route: '/api/resilience/[namespace]/[service]/circuit-breaker', access: 'write' },
  async ({ request, params }) => {
    const path = parseResilienceQuery(params, new URLSearchParams());
    if (!path.ok) throw new AppError('invalid', `Invalid service: ${path.problems.join('; ')}`);
    const parsed = parseCircuitBreakerChange(await jsonBody(request));
    if (!parsed.ok)
      throw new AppError('invalid', `Invalid change: ${parsed.problems.join('; ')}`, {
        details: { problems: parsed.problems },
      });
    const { namespace, service } = path.query;
    return jsonResponse<ResilienceWriteResult>(
      await putCircuitBreaker(trafficSplitContext(), { namespace, name: service }, parsed.value),
    );
  },
);
