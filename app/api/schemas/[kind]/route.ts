import { parseObjectParams } from '@/lib/istio-config/params';
import type { ConfigSchemaResponse } from '@/lib/types/config';
import { apiRoute } from '@/server/api-route';
import { getConfigSchema } from '@/server/config-objects';
import { AppError } from '@/server/errors';
import { jsonResponse } from '@/server/responses';

/**
 * `GET /api/schemas/KIND?apiVersion=group/version` -> `{kind, apiVersion, schema}`: the CRD's
 * openAPIV3Schema as the cluster serves it (the version the dashboard reads unless `apiVersion`
 * names another). The object editor completes and explains fields from it.
 */
export const GET = apiRoute<{ kind: string }>(
  { route: '/api/schemas/[kind]', access: 'read' },
  async ({ request, params }) => {
    const parsed = parseObjectParams({ kind: params.kind, namespace: 'default', name: 'schema' });
    if (!parsed.ok) throw new AppError('invalid', `Invalid kind: ${parsed.problems.join('; ')}`);
    const apiVersion = new URL(request.url).searchParams.get('apiVersion') || undefined;
    if (apiVersion !== undefined && !/^[a-z0-9.-]+\/[a-z0-9]+$/.test(apiVersion)) {
      throw new AppError('invalid', 'Invalid apiVersion: must be GROUP/VERSION');
    }
    return jsonResponse<ConfigSchemaResponse>(await getConfigSchema(parsed.kind, apiVersion));
  },
);
