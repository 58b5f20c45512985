/**
 * The Helm chart and the rendered manifests (deploy/). Helm cannot be installed on these machines,
 * so deploy/render.ts renders the chart's subset of Go templates as `helm template` would; this
 * test checks that the committed deploy/manifests/meshscope.yaml is that rendering, that the
 * objects are well formed and locked down, that the RBAC grants exactly what the server calls,
 * and then puts the objects and the roles to work against the simulated cluster over HTTPS.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as kube from '@kubernetes/client-node';
import { CoreV1Api, type KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { GET as healthz } from '../app/api/healthz/route';
import { GET as metrics } from '../app/metrics/route';
import {
  CHART_DIR,
  chartValues,
  RENDERED_MANIFEST,
  renderChart,
  renderManifest,
  renderTemplateFile,
  TemplateError,
} from '../deploy/render';
import type { PolicyRule } from '../sim/cluster/auth';
import { findOnPath, Kubectl } from '../sim/conformance/kubectl-runner';
import { simulatorRequest } from '../sim/testing/cluster-client';
import { startTestSimulator, type TestSimulator } from '../sim/testing/simulator-fixture';
import { parseAuthSettings } from './auth/settings';
import { KIND_SPECS } from './cache/kinds';
import { ResourceCaches } from './cache/resource-caches';
import { parseConfig } from './config';
import { PortForwardEnvoyAdmin } from './envoy/admin-client';
import { AppError } from './errors';
import { clusterFromKubeConfig, loadKubeConfig } from './kube/cluster';
import { DirectTelemetrySource } from './telemetry/direct-source';
import { safePatch } from './writes/safe-write';

const ROOT = path.resolve(CHART_DIR, '../../..');

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

type Manifest = KubernetesObject & {
  spec?: Record<string, unknown>;
  rules?: Rule[];
  roleRef?: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
};

/** apiVersion -> kinds it serves, with whether they are namespaced (Kubernetes 1.32). */
const KNOWN_KINDS: Record<string, Record<string, boolean>> = {
  v1: { ServiceAccount: true, Service: true },
  'apps/v1': { Deployment: true },
  'networking.k8s.io/v1': { NetworkPolicy: true },
  'rbac.authorization.k8s.io/v1': {
    ClusterRole: false,
    ClusterRoleBinding: false,
    Role: true,
    RoleBinding: true,
  },
};

function documents(overrides: unknown = {}): Manifest[] {
  return parseAllDocuments(renderManifest(overrides)).map((document) => {
    expect(document.errors).toEqual([]);
    return document.toJS() as Manifest;
  });
}

function find(objects: Manifest[], kind: string, name?: string): Manifest | undefined {
  return objects.find(
    (object) => object.kind === kind && (name === undefined || object.metadata?.name === name),
  );
}

type Container = {
  name: string;
  image: string;
  ports: { name: string; containerPort: number }[];
  env: {
    name: string;
    value?: string;
    valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string; key: string } };
  }[];
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string }[];
  livenessProbe: { httpGet: { path: string; port: string | number } };
  readinessProbe: { httpGet: { path: string; port: string | number } };
  startupProbe?: { httpGet: { path: string; port: string | number } };
};
type PodSpec = {
  serviceAccountName: string;
  securityContext: Record<string, unknown>;
  containers: Container[];
  volumes: { name: string; emptyDir?: unknown }[];
};

function podOf(objects: Manifest[]): { labels: Record<string, string>; spec: PodSpec } {
  const template = find(objects, 'Deployment')?.spec?.template as {
    metadata: { labels: Record<string, string> };
    spec: PodSpec;
  };
  return { labels: template.metadata.labels, spec: template.spec };
}

/** Every rule of the roles in `objects`, with the namespace a Role limits it to. */
function rulesOf(objects: Manifest[], names?: string[]): (Rule & { namespace?: string; role: string })[] {
  return objects
    .filter((object) => object.kind === 'ClusterRole' || object.kind === 'Role')
    .filter((object) => names === undefined || names.includes(object.metadata?.name ?? ''))
    .flatMap((object) =>
      (object.rules ?? []).map((rule) => ({
        ...rule,
        role: object.metadata?.name ?? '',
        ...(object.kind === 'Role' ? { namespace: object.metadata?.namespace } : {}),
      })),
    );
}

function allows(
  rules: (Rule & { namespace?: string })[],
  request: { group: string; resource: string; verb: string; namespace?: string },
): boolean {
  return rules.some(
    (rule) =>
      rule.apiGroups.includes(request.group) &&
      rule.resources.includes(request.resource) &&
      rule.verbs.includes(request.verb) &&
      (rule.namespace === undefined || rule.namespace === request.namespace),
  );
}

/** The text of every non-test TypeScript file under `dir`. */
function sourceTexts(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return sourceTexts(full);
    return /\.tsx?$/.test(entry) && !entry.endsWith('.test.ts') ? [readFileSync(full, 'utf8')] : [];
  });
}

/** A model class of client-node, generated from Kubernetes' OpenAPI: its fields and their types. */
interface Model {
  getAttributeTypeMap(): { baseName: string; type: string }[];
}

function modelNamed(name: string): Model | undefined {
  const candidate = (kube as Record<string, unknown>)[name];
  return typeof (candidate as Model | undefined)?.getAttributeTypeMap === 'function'
    ? (candidate as Model)
    : undefined;
}

const MAP_TYPE = /^\{ \[key: string\]: (.+); \}$/;

/** How each scalar API type is written in JSON. */
const isString = (candidate: unknown) => typeof candidate === 'string';
const SCALARS = new Map<string, (candidate: unknown) => boolean>([
  ['string', isString],
  ['Date', isString],
  ['number', (candidate) => typeof candidate === 'number'],
  ['boolean', (candidate) => typeof candidate === 'boolean'],
  ['IntOrString', (candidate) => isString(candidate) || typeof candidate === 'number'],
  ['any', () => true],
  ['object', () => true],
]);

/** Where `value` does not fit the API type `type`: unknown fields and values of the wrong type. */
function schemaProblems(value: unknown, type: string, at: string): string[] {
  const list = /^Array<(.+)>$/.exec(type);
  if (list?.[1]) {
    if (!Array.isArray(value)) return [`${at}: expected a list`];
    return value.flatMap((item, index) => schemaProblems(item, list[1] ?? '', `${at}[${index}]`));
  }
  const map = MAP_TYPE.exec(type);
  if (map?.[1]) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: expected a map`];
    return Object.entries(value).flatMap(([key, item]) => schemaProblems(item, map[1] ?? '', `${at}.${key}`));
  }
  const check = SCALARS.get(type);
  if (check) return check(value) ? [] : [`${at}: expected ${type}, got ${JSON.stringify(value)}`];
  const model = modelNamed(type);
  if (!model) return [`${at}: no model for ${type}`];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: expected ${type}`];
  const fields = new Map(model.getAttributeTypeMap().map((field) => [field.baseName, field.type]));
  return Object.entries(value).flatMap(([key, item]) => {
    const fieldType = fields.get(key);
    return fieldType === undefined
      ? [`${at}.${key}: unknown field of ${type}`]
      : schemaProblems(item, fieldType, `${at}.${key}`);
  });
}

describe('the Helm chart and its values', () => {
  const schema = JSON.parse(readFileSync(path.join(CHART_DIR, 'values.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const withValues = (overrides: unknown) => chartValues(overrides);

  it('has values that pass values.schema.json, and a schema that refuses what must not run in a cluster', () => {
    expect(validate(withValues({})), JSON.stringify(validate.errors)).toBe(true);
    expect(
      validate(withValues({ auth: { mode: 'header', impersonation: true }, writes: { enabled: true } })),
    ).toBe(true);
    // local mode trusts a launch secret with the dashboard's own account: a laptop mode only.
    expect(validate(withValues({ auth: { mode: 'local' } }))).toBe(false);
    expect(validate(withValues({ prometheus: { url: 'prometheus:9090' } }))).toBe(false);
    expect(validate(withValues({ readOnly: 'yes' }))).toBe(false);
    expect(
      validate(withValues({ writes: { enabled: true, subjects: [{ kind: 'Robot', name: 'x' }] } })),
    ).toBe(false);
    expect(validate(withValues({ resources: { limits: { cpu: 'lots', memory: '1Gi' } } }))).toBe(false);
    expect(validate(withValues({ replicas: 3 }))).toBe(false);
  });

  it('renders by default to exactly deploy/manifests/meshscope.yaml', () => {
    // Regenerate with: npm exec -- tsx deploy/render.ts > deploy/manifests/meshscope.yaml
    expect(renderManifest()).toBe(readFileSync(RENDERED_MANIFEST, 'utf8'));
  });

  it('renders only the subset of Go templates it knows, and every value it names must exist', () => {
    const templates = path.join(CHART_DIR, 'templates');
    for (const file of readdirSync(templates)) {
      const text = readFileSync(path.join(templates, file), 'utf8');
      expect(text, file).not.toMatch(/\{\{-?\s*(range|with|include|template|define|tpl|lookup)\b/);
    }
    expect(() => renderChart({ auth: { mode: 'header' } })).not.toThrow();
    expect(renderChart({ auth: { mode: 'header' } }).map((document) => document.source)).not.toContain(
      'meshscope/templates/clusterrole-dashboard.yaml',
    );
    expect(() => renderChart({ service: null })).toThrow(TemplateError);
  });

  it('renders an ingress NetworkPolicy only when asked: the listed peers reach the http port, none if no peer', () => {
    expect(documents().some((object) => object.kind === 'NetworkPolicy')).toBe(false);
    const peer = { podSelector: { matchLabels: { app: 'oauth2-proxy' } } };
    const allowed = find(documents({ networkPolicy: { enabled: true, from: [peer] } }), 'NetworkPolicy');
    expect(allowed?.spec).toEqual({
      podSelector: {
        matchLabels: { 'app.kubernetes.io/name': 'meshscope', 'app.kubernetes.io/instance': 'meshscope' },
      },
      policyTypes: ['Ingress'],
      ingress: [{ from: [peer], ports: [{ port: 'http', protocol: 'TCP' }] }],
    });
    const closed = find(documents({ networkPolicy: { enabled: true } }), 'NetworkPolicy');
    expect(closed?.spec?.ingress).toEqual([]);
    expect(validate(withValues({ networkPolicy: { enabled: true, from: [peer] } }))).toBe(true);
    expect(validate(withValues({ networkPolicy: { enabled: true, from: [{ pods: 'all' }] } }))).toBe(false);
    expect(validate(withValues({ auth: { mode: 'header', proxySecretName: 'Bad Name' } }))).toBe(false);
  });

  it('tells how to open the dashboard after an install (NOTES.txt)', () => {
    const notes = renderTemplateFile('NOTES.txt');
    expect(notes).toContain('kubectl -n meshscope port-forward svc/meshscope 8080:8080');
    expect(notes).toContain('read-only');
    expect(notes).toContain('Nobody is bound to the ClusterRole meshscope-viewer');
    const bound = renderTemplateFile('NOTES.txt', {
      readOnly: false,
      rbac: { viewerSubjects: [{ kind: 'Group', name: 'developers' }] },
    });
    expect(bound).not.toContain('read-only');
    expect(bound).not.toContain('Nobody is bound');
  });

  it('prints documents in Helm install order, each with its source, none empty', () => {
    const rendered = renderChart({
      writes: { enabled: true, subjects: [{ kind: 'Group', name: 'ops' }] },
      networkPolicy: { enabled: true },
    });
    const kinds = rendered.map((document) => (parse(document.content) as { kind: string }).kind);
    const order = [
      'NetworkPolicy',
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'Role',
      'RoleBinding',
      'Service',
      'Deployment',
    ];
    const ranks = kinds.map((kind) => order.indexOf(kind));
    expect(ranks.every((rank) => rank >= 0)).toBe(true);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    for (const document of rendered) {
      expect(document.source).toMatch(/^meshscope\/templates\/[a-z-]+\.yaml$/);
      expect(document.content.trim()).not.toBe('');
    }
  });
});

describe('the rendered manifests', () => {
  const variants: [string, unknown][] = [
    ['default', {}],
    [
      'writes, viewers and every option',
      {
        auth: {
          mode: 'header',
          impersonation: true,
          allowedHosts: 'meshscope.example.com',
          proxySecretName: 'oauth2-proxy-shared',
        },
        networkPolicy: {
          enabled: true,
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'auth' } },
              podSelector: { matchLabels: { app: 'oauth2-proxy' } },
            },
          ],
        },
        readOnly: false,
        writes: {
          enabled: true,
          subjects: [{ kind: 'Group', name: 'mesh-operators', apiGroup: 'rbac.authorization.k8s.io' }],
        },
        rbac: {
          viewerSubjects: [{ kind: 'Group', name: 'developers', apiGroup: 'rbac.authorization.k8s.io' }],
        },
        validation: { tlsCredentials: true },
        prometheus: { url: 'http://prometheus.istio-system:9090' },
        podAnnotations: { 'sidecar.istio.io/inject': 'true' },
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ key: 'dedicated', operator: 'Exists' }],
      },
    ],
  ];

  it.each(variants)(
    'are known kinds with names, labels and namespaces where they belong (%s)',
    (_name, values) => {
      const objects = documents(values);
      for (const object of objects) {
        const namespaced = KNOWN_KINDS[object.apiVersion ?? '']?.[object.kind ?? ''];
        expect(namespaced, `${object.apiVersion} ${object.kind}`).toBeTypeOf('boolean');
        expect(object.metadata?.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
        expect(object.metadata?.labels?.['app.kubernetes.io/name']).toBe('meshscope');
        if (namespaced) expect(object.metadata?.namespace, object.kind).toBeTruthy();
        else expect(object.metadata?.namespace, object.kind).toBeUndefined();
      }
      for (const binding of objects.filter((object) => object.kind?.endsWith('Binding'))) {
        expect(
          find(objects, binding.roleRef?.kind ?? '', binding.roleRef?.name),
          binding.metadata?.name,
        ).toBeDefined();
        expect(binding.subjects?.length).toBeGreaterThan(0);
      }
    },
  );

  it.each(variants)(
    "match Kubernetes' object schemas: no unknown field, every value of its type (%s)",
    (_name, values) => {
      for (const object of documents(values)) {
        expect(schemaProblems(object, `V1${object.kind}`, object.kind ?? '')).toEqual([]);
      }
      // The check can fail: a misspelt field and a mistyped value are named.
      const deployment = find(documents(values), 'Deployment') as Manifest;
      const text = JSON.stringify(deployment)
        .replace('"readOnlyRootFilesystem"', '"readOnlyRootFileSystem"')
        .replace('"runAsUser":1000', '"runAsUser":"1000"');
      expect(schemaProblems(JSON.parse(text), 'V1Deployment', 'Deployment')).toEqual([
        'Deployment.spec.template.spec.securityContext.runAsUser: expected number, got "1000"',
        'Deployment.spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem: unknown field of V1SecurityContext',
      ]);
    },
  );

  it.each(variants)(
    'run the dashboard non-root, read-only, without capabilities, probed on its port (%s)',
    (_name, values) => {
      const objects = documents(values);
      const { labels, spec } = podOf(objects);
      expect(spec.serviceAccountName).toBe(find(objects, 'ServiceAccount')?.metadata?.name);
      expect(spec.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
      expect(spec.containers).toHaveLength(1);
      const [container] = spec.containers as [Container];
      expect(container.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(container.securityContext.privileged).toBeUndefined();
      expect(Object.keys(container.resources.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(container.resources.limits ?? {}).sort()).toEqual(['cpu', 'memory']);
      // Writable paths are emptyDirs, each mounted.
      const volumes = new Map(spec.volumes.map((volume) => [volume.name, volume]));
      expect(container.volumeMounts.map((mount) => mount.mountPath).sort()).toEqual([
        '/app/.next/cache',
        '/tmp',
      ]);
      for (const mount of container.volumeMounts) expect(volumes.get(mount.name)?.emptyDir).toBeDefined();

      const [port] = container.ports;
      const env = Object.fromEntries(container.env.map((entry) => [entry.name, entry.value]));
      expect(env.PORT).toBe(String(port?.containerPort));
      expect(env.HOSTNAME).toBe('0.0.0.0');
      // The kubelet probes the pod IP; the Host header is one the DNS-rebinding guard accepts.
      const host = [{ name: 'Host', value: 'localhost' }];
      expect(container.livenessProbe.httpGet).toEqual({
        path: '/api/healthz',
        port: port?.name,
        httpHeaders: host,
      });
      expect(container.startupProbe?.httpGet).toEqual({
        path: '/api/healthz',
        port: port?.name,
        httpHeaders: host,
      });
      expect(container.readinessProbe.httpGet).toEqual({
        path: '/api/readyz',
        port: port?.name,
        httpHeaders: host,
      });
      // In-cluster scrapers reach the pod IP or the Service's names: both are allowed hosts, the pod IP
      // from the downward API, defined before the variable that refers to it.
      const names = container.env.map((entry) => entry.name);
      expect(container.env[names.indexOf('POD_IP')]?.valueFrom?.fieldRef?.fieldPath).toBe('status.podIP');
      expect(names.indexOf('POD_IP')).toBeLessThan(names.indexOf('MESHSCOPE_ALLOWED_HOSTS'));
      const service = find(objects, 'Service');
      const serviceHost = `${service?.metadata?.name}.${service?.metadata?.namespace}.svc`;
      expect(env.MESHSCOPE_ALLOWED_HOSTS?.split(',')).toEqual(
        expect.arrayContaining(['$(POD_IP)', serviceHost]),
      );

      expect(service?.spec?.type).toBe('ClusterIP');
      expect(service?.spec?.ports).toEqual([
        expect.objectContaining({ targetPort: port?.name, protocol: 'TCP' }),
      ]);
      for (const [key, value] of Object.entries(service?.spec?.selector as Record<string, string>)) {
        expect(labels[key], key).toBe(value);
      }
    },
  );

  it('sets only variables the dashboard reads, from the values', () => {
    const { spec } = podOf(documents({ prometheus: { url: 'http://prom:9090' }, readOnly: false }));
    const env = Object.fromEntries((spec.containers[0]?.env ?? []).map((entry) => [entry.name, entry.value]));
    expect(env).toMatchObject({
      MESHSCOPE_AUTH_MODE: 'token',
      MESHSCOPE_READ_ONLY: 'false',
      MESHSCOPE_PROMETHEUS_URL: 'http://prom:9090',
      MESHSCOPE_VALIDATE_TLS_CREDENTIALS: 'false',
    });
    expect(podOf(documents()).spec.containers[0]?.env).toContainEqual({
      name: 'MESHSCOPE_READ_ONLY',
      value: 'true',
    });
    const sources = [path.join(ROOT, 'server'), path.join(ROOT, 'bin')].flatMap(sourceTexts).join('\n');
    for (const name of Object.keys(env).filter((key) => key.startsWith('MESHSCOPE_'))) {
      expect(sources.includes(name), `${name} is read by the server`).toBe(true);
    }
  });
});

/**
 * The container's environment as the kubelet builds it: `$(NAME)` refers to a variable defined above;
 * a Secret's key (`secretKeyRef`) comes from `secretValues` as `NAME/KEY`, and must be there.
 */
function containerEnv(
  objects: Manifest[],
  fieldValues: Record<string, string>,
  secretValues: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: Record<string, string> = {};
  for (const entry of podOf(objects).spec.containers[0]?.env ?? []) {
    const field = entry.valueFrom?.fieldRef?.fieldPath;
    const secret = entry.valueFrom?.secretKeyRef;
    const secretValue = secret ? secretValues[`${secret.name}/${secret.key}`] : undefined;
    if (secret && secretValue === undefined) throw new Error(`no Secret ${secret.name} key ${secret.key}`);
    const value = secretValue ?? (field !== undefined ? (fieldValues[field] ?? '') : (entry.value ?? ''));
    env[entry.name] = value.replace(
      /\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g,
      (whole, name: string) => env[name] ?? whole,
    );
  }
  // NODE_ENV comes from the image (Dockerfile).
  return { NODE_ENV: 'production', ...env };
}

describe("the chart's settings, read by the dashboard's own code", () => {
  const podIp = '10.12.0.7';
  const settingsKey = Symbol.for('meshscope.authSettings');
  const saved = { ...process.env };

  afterAll(() => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    Reflect.deleteProperty(globalThis, settingsKey);
  });

  it('parses as a valid configuration and access settings, read-only token mode by default', () => {
    const env = containerEnv(documents(), { 'status.podIP': podIp });
    expect(parseConfig(env)).toMatchObject({ readOnly: true, prometheusUrl: undefined, logLevel: 'info' });
    const settings = parseAuthSettings(env);
    expect(settings.mode).toBe('token');
    expect(settings.allowedHosts).toContain(podIp);
    const headerMode = documents({
      auth: { mode: 'header', allowedHosts: 'meshscope.example.com' },
      readOnly: false,
    });
    // header mode reads the proxy's shared secret from the Secret `<release>-proxy`, key proxy-secret.
    expect(() => containerEnv(headerMode, { 'status.podIP': podIp })).toThrow('no Secret meshscope-proxy');
    const custom = containerEnv(
      headerMode,
      { 'status.podIP': podIp },
      { 'meshscope-proxy/proxy-secret': 'a-shared-proxy-secret-0123456789' },
    );
    expect(parseConfig(custom).readOnly).toBe(false);
    expect(parseAuthSettings(custom)).toMatchObject({
      mode: 'header',
      proxySecret: 'a-shared-proxy-secret-0123456789',
    });
    expect(() => parseAuthSettings({ ...custom, MESHSCOPE_PROXY_SECRET: '' })).toThrow(
      'MESHSCOPE_AUTH_MODE=header needs MESHSCOPE_PROXY_SECRET',
    );
    expect(parseAuthSettings(custom).allowedHosts).toContain('meshscope.example.com');
  });

  it('lets the probes and in-cluster scrapers past the Host guard, and nobody else', async () => {
    Object.assign(process.env, containerEnv(documents(), { 'status.podIP': podIp }));
    Reflect.deleteProperty(globalThis, settingsKey);
    const call = (handler: typeof healthz, path: string, host: string) =>
      handler(new Request(`http://${host}${path}`, { headers: { host } }));
    // The kubelet's probe: the pod IP, with the Host header the chart sets.
    expect((await call(healthz, '/api/healthz', 'localhost')).status).toBe(200);
    expect((await call(healthz, '/api/healthz', `${podIp}:8080`)).status).toBe(200);
    expect((await call(healthz, '/api/healthz', 'meshscope.meshscope.svc:8080')).status).toBe(200);
    // The probes answer any Host; every other route keeps the allow-list.
    expect((await call(healthz, '/api/healthz', 'evil.example:8080')).status).toBe(200);
    // /metrics from an in-cluster scraper gets past the Host guard to the sign-in check.
    expect((await call(metrics, '/metrics', `${podIp}:8080`)).status).toBe(401);
    expect((await call(metrics, '/metrics', 'meshscope.meshscope.svc:8080')).status).toBe(401);
    expect((await call(metrics, '/metrics', 'evil.example')).status).toBe(403);
  });
});

describe('the RBAC the chart grants', () => {
  const readVerbs = ['get', 'list', 'watch'];
  /** Not reads, but not writes to the cluster's state either: reviews and the Envoy admin port-forward. */
  const allowedNonReads = [
    'authorization.k8s.io/selfsubjectaccessreviews:create',
    'authentication.k8s.io/selfsubjectreviews:create',
    '/pods/portforward:create',
  ];

  it('is read-only by default: no writes, no wildcards, no Secrets', () => {
    const rules = rulesOf(documents());
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      for (const field of [rule.apiGroups, rule.resources, rule.verbs]) expect(field).not.toContain('*');
      expect(rule.resources).not.toContain('secrets');
      for (const verb of rule.verbs) {
        for (const resource of rule.resources) {
          const grant = `${rule.apiGroups.join(',')}/${resource}:${verb}`;
          if (!readVerbs.includes(verb))
            expect(allowedNonReads, `${rule.role} grants ${grant}`).toContain(grant);
        }
      }
    }
    const objects = documents();
    expect(find(objects, 'ClusterRole', 'meshscope-traffic-editor')).toBeUndefined();
    // ConfigMaps of the Istio namespace only.
    expect(rules.filter((rule) => rule.resources.includes('configmaps'))).toEqual([
      expect.objectContaining({ namespace: 'istio-system', verbs: readVerbs }),
    ]);
    // Token mode: the dashboard's own account is granted nothing (sign-in tokens are checked with a
    // SelfSubjectReview made with the token itself), and no one is bound to the viewer roles.
    expect(objects.filter((object) => object.kind?.endsWith('Binding'))).toEqual([]);
    expect(find(objects, 'ClusterRole', 'meshscope-dashboard')).toBeUndefined();
  });

  it('lets the viewer role list and watch every kind the dashboard caches (Secrets only when asked for)', () => {
    const byDefault = rulesOf(documents());
    const withSecrets = rulesOf(documents({ validation: { tlsCredentials: true } }));
    for (const spec of Object.values(KIND_SPECS)) {
      for (const verb of ['list', 'watch']) {
        const request = { group: spec.group, resource: spec.plural, verb, namespace: spec.namespace };
        if (spec.plural === 'secrets') {
          expect(allows(byDefault, request)).toBe(false);
          expect(allows(withSecrets, request)).toBe(true);
        } else {
          expect(allows(byDefault, request), `${verb} ${spec.plural}`).toBe(true);
        }
      }
    }
    for (const resource of ['pods/proxy', 'services/proxy', 'pods/log']) {
      expect(allows(byDefault, { group: '', resource, verb: 'get' }), resource).toBe(true);
    }
    expect(
      allows(rulesOf(documents({ rbac: { portForward: false } })), {
        group: '',
        resource: 'pods/portforward',
        verb: 'create',
      }),
    ).toBe(false);
  });

  it('grants patches of VirtualServices and DestinationRules only when writes are enabled, to the subjects given', () => {
    const objects = documents({ writes: { enabled: true, subjects: [{ kind: 'Group', name: 'ops' }] } });
    const editor = rulesOf(objects, ['meshscope-traffic-editor']);
    const grants = editor.flatMap((rule) =>
      rule.resources.flatMap((resource) =>
        rule.verbs.map((verb) => `${rule.apiGroups.join(',')}/${resource}:${verb}`),
      ),
    );
    expect(grants.sort()).toEqual([
      'networking.istio.io/destinationrules:create',
      'networking.istio.io/destinationrules:patch',
      'networking.istio.io/virtualservices:patch',
    ]);
    expect(find(objects, 'ClusterRoleBinding', 'meshscope-traffic-editor')?.subjects).toEqual([
      { kind: 'Group', name: 'ops' },
    ]);
    // header mode with impersonation: impersonate is the only other grant, to the dashboard's account.
    const header = documents({ auth: { mode: 'header', impersonation: true } });
    expect(rulesOf(header, ['meshscope-dashboard'])).toEqual([
      expect.objectContaining({ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }),
    ]);
    expect(
      find(documents({ auth: { mode: 'header' } }), 'ClusterRole', 'meshscope-dashboard'),
    ).toBeUndefined();
  });
});

describe('the manifests against the simulated cluster', () => {
  let simulator: TestSimulator;

  beforeAll(async () => {
    simulator = await startTestSimulator({ scenario: 'bookinfo', manualTraffic: true });
    const now = Date.now();
    for (let second = 1; second <= 3; second += 1) simulator.engine.tick(now + second * 1000, 1);
    const client = KubernetesObjectApi.makeApiClient(loadKubeConfig(simulator.kubeconfigs.admin, undefined));
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'meshscope' } });
  });
  afterAll(async () => simulator?.dispose());

  it("names only resources and verbs the API server's discovery serves", async () => {
    const objects = documents({
      writes: { enabled: true },
      validation: { tlsCredentials: true },
      rbac: { viewerSubjects: [{ kind: 'Group', name: 'developers' }] },
    });
    const served = new Map<string, string[]>();
    for (const rule of rulesOf(objects)) {
      for (const group of rule.apiGroups) {
        const paths =
          group === ''
            ? ['/api/v1']
            : (
                (
                  JSON.parse((await simulatorRequest(simulator, `/apis/${group}`)).body) as {
                    versions?: { groupVersion: string }[];
                  }
                ).versions ?? []
              ).map((version) => `/apis/${version.groupVersion}`);
        expect(paths.length, `group ${group} is served`).toBeGreaterThan(0);
        for (const apiPath of paths) {
          const list = JSON.parse((await simulatorRequest(simulator, apiPath)).body) as {
            resources: { name: string; verbs: string[] }[];
          };
          for (const resource of list.resources) {
            const key = `${group}/${resource.name}`;
            served.set(key, [...new Set([...(served.get(key) ?? []), ...resource.verbs])]);
          }
        }
        for (const resource of rule.resources) {
          const verbs = served.get(`${group}/${resource}`);
          expect(verbs, `${group}/${resource} is served`).toBeDefined();
          for (const verb of rule.verbs) expect(verbs, `${verb} ${group}/${resource}`).toContain(verb);
        }
      }
    }
  });

  it.skipIf(!findOnPath('kubectl'))(
    'passes kubectl apply --dry-run=server with strict field validation',
    async () => {
      // The manifest's namespaced part: the simulator does not serve RBAC kinds (checked below).
      const file = path.join(simulator.directory, 'meshscope-namespaced.yaml');
      const text = readFileSync(RENDERED_MANIFEST, 'utf8')
        .split(/^---\n/m)
        .filter(
          (document) =>
            document.trim() !== '' && !/^apiVersion: rbac\.authorization\.k8s\.io\//m.test(document),
        )
        .map((document) => `---\n${document}`)
        .join('');
      writeFileSync(file, text);
      const kubectl = new Kubectl(
        simulator.kubeconfigs.admin,
        path.join(simulator.directory, 'kubectl-cache'),
      );
      const result = await kubectl.run(['apply', '--dry-run=server', '--validate=strict', '-f', file]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout.trim().split('\n').sort()).toEqual([
        'deployment.apps/meshscope created (server dry run)',
        'service/meshscope created (server dry run)',
        'serviceaccount/meshscope created (server dry run)',
      ]);
      // The simulator keeps unknown fields of built-in kinds (it has no schema for them): the typed
      // check above ("match Kubernetes' object schemas") is what catches a misspelt field.
    },
  );

  it("gives a user bound to the chart's viewer roles everything the dashboard reads, and no writes", async () => {
    const objects = documents();
    const asSimulatorRules = (rules: ReturnType<typeof rulesOf>): PolicyRule[] =>
      rules.map((rule) => ({
        verbs: rule.verbs,
        apiGroups: rule.apiGroups,
        resources: rule.resources,
        ...(rule.namespace ? { namespaces: [rule.namespace] } : {}),
      }));
    // The simulated viewer becomes a user bound to meshscope-viewer and meshscope-istio-config.
    const user = simulator.users.find((candidate) => candidate.id === 'viewer');
    if (!user) throw new Error('the simulator has no viewer');
    user.rules = asSimulatorRules(rulesOf(objects, ['meshscope-viewer', 'meshscope-istio-config']));
    delete user.exceptResources;

    const kubeConfig = loadKubeConfig(simulator.kubeconfigs.viewer, undefined);
    const cluster = clusterFromKubeConfig(kubeConfig);
    const caches = new ResourceCaches(cluster, { backoff: { baseMs: 200, capMs: 1_000 } });
    try {
      const { settled, warnings } = await caches.ready(10_000);
      expect(settled).toBe(true);
      expect(warnings).toEqual([]);
      for (const status of caches.statuses()) expect(status.state, status.resource).toBe('synced');
    } finally {
      await caches.stop();
    }

    const telemetry = new DirectTelemetrySource(cluster, { intervalMs: 60_000 });
    try {
      const snapshot = await telemetry.snapshot({ namespaces: ['default'], windowSeconds: 60 });
      expect(snapshot.warnings.filter((warning) => /cannot scrape|forbidden/i.test(warning.message))).toEqual(
        [],
      );
    } finally {
      telemetry.close();
    }

    const pods = await kubeConfig.makeApiClient(CoreV1Api).listNamespacedPod({
      namespace: 'default',
      labelSelector: 'app=productpage',
    });
    const pod = pods.items[0]?.metadata?.name ?? '';
    const clusters = await new PortForwardEnvoyAdmin(kubeConfig).get({
      namespace: 'default',
      pod,
      path: '/clusters',
    });
    expect(clusters.status).toBe(200);

    const target = {
      group: 'networking.istio.io',
      version: 'v1',
      plural: 'virtualservices',
      kind: 'VirtualService',
      namespace: 'default',
      name: 'reviews',
    };
    const stored = (await cluster.custom.getNamespacedCustomObject({ ...target })) as {
      metadata: { resourceVersion: string };
    };
    const patch = () =>
      safePatch(cluster, {
        target,
        resourceVersion: stored.metadata.resourceVersion,
        operations: [{ op: 'add', path: '/metadata/labels', value: { checked: 'by-deploy-test' } }],
        actor: 'deploy-test',
        dryRun: true,
      });
    const refused = await patch().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('forbidden:kube');

    // Bound to the opt-in traffic editor as well, the same patch passes the server's dry run.
    const editor = rulesOf(documents({ writes: { enabled: true } }), ['meshscope-traffic-editor']);
    user.rules = [...user.rules, ...asSimulatorRules(editor)];
    const result = await patch();
    expect(result.dryRun).toBe(true);
  });
});

describe('the Dockerfile', () => {
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1) ?? '';

  it('builds in stages and runs standalone Next as a numeric non-root user with a health check', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/MESHSCOPE_STANDALONE=1/);
    expect(readFileSync(path.join(ROOT, 'next.config.ts'), 'utf8')).toMatch(
      /MESHSCOPE_STANDALONE === '1' \? \{ output: 'standalone'/,
    );
    expect(runtime).toMatch(/COPY --from=build \/app\/\.next\/standalone/);
    const user = /^USER (\d+)(?::(\d+))?$/m.exec(runtime);
    expect(Number(user?.[1])).toBeGreaterThan(0);
    expect(runtime).toMatch(/^EXPOSE 8080$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*\/api\/healthz/m);
    expect(runtime).toMatch(/^CMD \["node", "server\.js"\]$/m);
    const chartPort = podOf(documents()).spec.containers[0]?.ports[0]?.containerPort;
    expect(chartPort).toBe(8080);
  });

  it('keeps dependencies, builds and secrets out of the build context', () => {
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', '.next', '.git', '.meshscope']) expect(ignored).toContain(entry);
  });
});
