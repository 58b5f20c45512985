/**
 * Helpers for the checkers' tests: a snapshot from YAML manifests, and findings in one line each.
 * Only tests import this module.
 */
import { parseAllDocuments } from 'yaml';
import type { ConfigSnapshot } from '../types/mesh-config';
import type { Finding, ValidationOptions } from '../types/validation';
import { fromManifests, type ManifestOptions } from './from-manifests';
import { validate } from './validate';

export function snapshotOf(manifests: string, options: ManifestOptions = {}): ConfigSnapshot {
  const objects = parseAllDocuments(manifests)
    .map((document) => document.toJS() as unknown)
    .filter((object) => object !== null && object !== undefined);
  return fromManifests(objects, options);
}

/** `code Kind ns/name path [istioCode] [kialiCode]` for each finding (codes listed when present). */
export function describeFinding(finding: Finding): string {
  const { object } = finding;
  const name = object.namespace ? `${object.namespace}/${object.name}` : object.name;
  return [finding.code, object.kind, name, finding.path, finding.istioCode, finding.kialiCode]
    .filter((part) => part !== undefined)
    .join(' ');
}

/** Findings of `manifests` whose code starts with `prefix`, described. */
export function findings(
  manifests: string,
  prefix: string,
  options: ManifestOptions & ValidationOptions = {},
): string[] {
  return validate(snapshotOf(manifests, options), options)
    .filter((finding) => finding.code.startsWith(prefix))
    .map(describeFinding)
    .sort();
}

/** A pod with a sidecar: `pod('reviews-v1', 'default', { app: 'reviews', version: 'v1' })`. */
export function pod(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  options: { sidecar?: boolean; annotations?: Record<string, string>; extra?: string } = {},
): string {
  const containers =
    options.sidecar === false
      ? '[{name: app, image: app}]'
      : '[{name: app, image: app}, {name: istio-proxy, image: proxyv2}]';
  return `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespace}, labels: ${JSON.stringify(labels)}, annotations: ${JSON.stringify(options.annotations ?? {})}}
spec: {containers: ${containers}${options.extra ? `, ${options.extra}` : ''}}
---`;
}

/** A Service selecting `selector`, with `http` ports by default. */
export function service(
  name: string,
  namespace: string,
  selector: Record<string, string>,
  ports: string = '[{name: http, port: 9080}]',
): string {
  return `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${namespace}}
spec: {selector: ${JSON.stringify(selector)}, ports: ${ports}}
---`;
}

export function namespace(
  name: string,
  labels: Record<string, string> = { 'istio-injection': 'enabled' },
): string {
  return `
apiVersion: v1
kind: Namespace
metadata: {name: ${name}, labels: ${JSON.stringify(labels)}}
---`;
}
