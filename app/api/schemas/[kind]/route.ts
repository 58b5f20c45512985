import { parseObjectParams } from '@/lib/istio-config/params';
import type { ConfigSchemaResponse } from '@/lib/types/config';
import { getConfigSchema } from '@/server/config-objects';
import { AppError } from '@/server/errors';
import { errorResponse, jsonResponse } from '@/server/responses';

type Params = { params: Promise<{ kind: string }> };

/**
 * `GET /api/schemas/KIND?apiVersion=group/version` -> `{kind, apiVersion, schema}`: the CRD's
 * openAPIV3Schema as the cluster serves it (the version the dashboard reads unless `apiVersion`
 * names another). The object editor completes and explains fields from it.
 */
export async function GET(request: Request, { params }: Params) {
  try {
    const { kind } = await params;
    const parsed = parseObjectParams({ kind, namespace: 'default', name: 'schema' });
    if (!parsed.ok) throw new AppError('invalid', `Invalid kind: ${parsed.problems.join('; ')}`);
    const apiVersion = new URL(request.url).searchParams.get('apiVersion') || undefined;
    if (apiVersion !== undefined && !/^[a-z0-9.-]+\/[a-z0-9]+$/.test(apiVersion)) {
      throw new AppError('invalid', 'Invalid apiVersion: must be GROUP/VERSION');
    }
    return jsonResponse<ConfigSchemaResponse>(await getConfigSchema(parsed.kind, apiVersion));
  } catch (error) {
    return errorResponse(error, '/api/schemas/[kind]');
  }
}
