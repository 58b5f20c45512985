import type { ProxyConfigResponse } from '@/lib/types/workloads';
import { parseProxyConfigQuery } from '@/lib/workloads/params';
import { apiRoute } from '@/server/api-route';
import { AppError } from '@/server/errors';
import { getProxyConfig } from '@/server/pods';
import { jsonResponse } from '@/server/responses';

/**
 * `GET /api/pods/NAMESPACE/NAME/proxy-config?section=clusters|listeners|routes|all&raw=true`
 * -> ProxyConfigResponse (docs/api.md): the sidecar's `/config_dump`, read through a port-forward
 * to Envoy's admin port, as tables; `raw=true` adds the dump itself.
 */
export const GET = apiRoute<{ namespace: string; name: string }>(
  { route: '/api/pods/[namespace]/[name]/proxy-config', access: 'read' },
  async ({ request, params }) => {
    const parsed = parseProxyConfigQuery(params, new URL(request.url).searchParams);
    if (!parsed.ok) {
      throw new AppError('invalid', `Invalid proxy-config query: ${parsed.problems.join('; ')}`, {
        details: { problems: parsed.problems },
      });
    }
    return jsonResponse<ProxyConfigResponse>(await getProxyConfig(parsed.query));
  },
);
