import { parseObjectParams } from '@/lib/istio-config/params';
import { parseConfigPut } from '@/lib/istio-config/requests';
import type { ConfigObjectResponse, ConfigPutResponse } from '@/lib/types/config';
import { apiRoute } from '@/server/api-route';
import { configContext, getConfigObject, putConfigObject } from '@/server/config-objects';
import { AppError } from '@/server/errors';
import { jsonBody } from '@/server/request-guard';
import { jsonResponse } from '@/server/responses';

type Params = { kind: string; namespace: string; name: string };
const ROUTE = '/api/config/[kind]/[namespace]/[name]';

function target(params: Params) {
  const parsed = parseObjectParams(params);
  if (!parsed.ok) {
    throw new AppError('invalid', `Invalid object: ${parsed.problems.join('; ')}`, {
      details: { problems: parsed.problems },
    });
  }
  return parsed;
}

/**
 * `GET /api/config/KIND/NAMESPACE/NAME` -> ConfigObjectResponse (docs/api.md): the stored object
 * without managedFields, its findings, references both ways, and whether the caller may edit it.
 */
export const GET = apiRoute<Params>({ route: ROUTE, access: 'read' }, async ({ params }) => {
  const { kind, namespace, name } = target(params);
  return jsonResponse<ConfigObjectResponse>(await getConfigObject(configContext(), kind, namespace, name));
});

/**
 * `PUT /api/config/KIND/NAMESPACE/NAME` with `{resourceVersion, object, dryRun?}` ->
 * ConfigPutResponse: spec, labels and annotations written as a JSON patch (dry run first). 400
 * `invalid` with `details.problems`, 409 `conflict:resource-version` with `details.current`, 409
 * `conflict:owner`, 403 `forbidden:read-only` / `forbidden:kube`, 422 `invalid:kube`.
 */
export const PUT = apiRoute<Params>({ route: ROUTE, access: 'write' }, async ({ request, params }) => {
  const { kind, namespace, name } = target(params);
  const parsed = parseConfigPut(await jsonBody(request));
  if (!parsed.ok) {
    throw new AppError('invalid', `Invalid change: ${parsed.problems.join('; ')}`, {
      details: { problems: parsed.problems },
    });
  }
  return jsonResponse<ConfigPutResponse>(
    await putConfigObject(configContext(), kind, namespace, name, parsed.query),
  );
});
