/**
 * Bodies of the configuration API's writes and previews, checked with one schema each; problems
 * are worded for the 400 answer.
 */
import { z } from 'zod';
import type { ConfigPutRequest } from '../types/config';
import type { IstioObject } from '../types/mesh-config';
import { ISTIO_KINDS } from './kinds';
import type { ParseResult } from './params';

/** Most objects one preview may carry: an editor previews one, a split a VirtualService and its rule. */
export const MAX_PREVIEW_OBJECTS = 20;

const name = z.string().min(1).max(253);
const stringMap = z.record(z.string(), z.string());

const manifestSchema = z.object({
  apiVersion: z.string().min(1),
  kind: z.enum(ISTIO_KINDS, { error: `must be one of ${ISTIO_KINDS.join(', ')}` }),
  metadata: z.object({
    name,
    namespace: name,
    resourceVersion: z.string().optional(),
    labels: stringMap.optional(),
    annotations: stringMap.optional(),
  }),
  spec: z.record(z.string(), z.unknown()).default({}),
});

const previewSchema = z.object({
  objects: z.array(manifestSchema).min(1).max(MAX_PREVIEW_OBJECTS),
});

function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
}

/** `POST /api/validations/preview` `{objects: [manifest...]}` as the validation's objects. */
export function parsePreviewRequest(body: unknown): ParseResult<IstioObject[]> {
  const result = previewSchema.safeParse(body);
  if (!result.success) return { ok: false, problems: problemsOf(result.error) };
  return {
    ok: true,
    query: result.data.objects.map((manifest) => ({
      kind: manifest.kind,
      apiVersion: manifest.apiVersion,
      namespace: manifest.metadata.namespace,
      name: manifest.metadata.name,
      resourceVersion: manifest.metadata.resourceVersion ?? '',
      labels: manifest.metadata.labels ?? {},
      annotations: manifest.metadata.annotations ?? {},
      spec: manifest.spec,
    })),
  };
}

const putSchema = z.object({
  resourceVersion: z.string().min(1, 'the resourceVersion you read is required'),
  object: z.record(z.string(), z.unknown()),
  dryRun: z.boolean().optional(),
});

/** `PUT /api/config/KIND/NAMESPACE/NAME` `{resourceVersion, object, dryRun?}`. */
export function parseConfigPut(body: unknown): ParseResult<ConfigPutRequest> {
  const result = putSchema.safeParse(body);
  if (!result.success) return { ok: false, problems: problemsOf(result.error) };
  return { ok: true, query: result.data };
}
