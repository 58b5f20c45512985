/**
 * The real kubectl (1.32, chosen by the dispatcher on PATH from the server's /version) against the
 * simulated cluster over HTTPS: the conformance table of research/k8s-api-surface.md §5, driven
 * with Istio's own CRD bundle and Bookinfo samples from shared/istio/.
 */
import { readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { eventually, startTestSimulator, type TestSimulator } from '../testing/simulator-fixture';
import { findOnPath, Kubectl, type KubectlResult, tableHeader, tableRows } from './kubectl-runner';

const istioDirectory = fileURLToPath(new URL('../../../shared/istio/', import.meta.url));
const istio = (file: string) => join(istioDirectory, file);

/** Every Istio sample YAML whose kinds the simulator serves (messages.yaml is a catalogue, not objects). */
const istioFiles = readdirSync(istioDirectory)
  .filter((file) => file.endsWith('.yaml') && file !== 'messages.yaml')
  .sort();

const kubectlPath = findOnPath('kubectl');
if (!kubectlPath) {
  console.warn(
    'sim/conformance/kubectl.test.ts: skipping the kubectl conformance suite: `kubectl` is not on PATH',
  );
}

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
}

/** How kubectl names an object in its output: `virtualservice.networking.istio.io/reviews`, `service/details`. */
function kubectlName(manifest: Manifest): string {
  const slash = manifest.apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : manifest.apiVersion.slice(0, slash);
  return `${manifest.kind.toLowerCase()}${group ? `.${group}` : ''}/${manifest.metadata.name}`;
}

async function manifests(path: string): Promise<Manifest[]> {
  return parseAllDocuments(await readFile(path, 'utf8'))
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** The NAME column of a kubectl table. */
function names(output: string): string[] {
  return tableRows(output).map((row) => row[0] ?? '');
}

function expectSuccess(result: KubectlResult): void {
  expect(result.code, `kubectl failed:\n${result.stderr}`).toBe(0);
}

function expectFailure(result: KubectlResult, message: string | RegExp): void {
  expect(result.code, `kubectl should have failed; stdout:\n${result.stdout}`).toBe(1);
  if (typeof message === 'string') expect(result.stderr).toContain(message);
  else expect(result.stderr).toMatch(message);
}

/** A simulator with a kubectl bound to its admin kubeconfig and a fresh discovery cache. */
async function startCluster(scenario: string): Promise<{
  simulator: TestSimulator;
  kubectl: Kubectl;
  workDirectory: string;
}> {
  const simulator = await startTestSimulator({ scenario });
  const workDirectory = join(simulator.directory, 'kubectl-files');
  await mkdir(workDirectory);
  const kubectl = new Kubectl(simulator.kubeconfigs.admin, join(simulator.directory, 'kubectl-cache'));
  return { simulator, kubectl, workDirectory };
}

describe.skipIf(!kubectlPath)('kubectl against the simulator', () => {
  describe('a bare cluster taking Istio from YAML', () => {
    let simulator: TestSimulator;
    let kubectl: Kubectl;

    beforeAll(async () => {
      ({ simulator, kubectl } = await startCluster('bare'));
    });
    afterAll(async () => {
      await simulator?.dispose();
    });

    it("applies Istio's CRD bundle, after which there are no VirtualServices yet", async () => {
      const crds = await manifests(istio('crd-all.gen.yaml'));
      expect(crds.length).toBeGreaterThan(10);
      const applied = await kubectl.run(['apply', '-f', istio('crd-all.gen.yaml')]);
      expectSuccess(applied);
      expect(lines(applied.stdout)).toEqual(crds.map((crd) => `${kubectlName(crd)} created`));

      const listed = await kubectl.run(['get', 'vs', '-A']);
      expectSuccess(listed);
      expect(listed.stdout).toBe('');
      expect(listed.stderr).toContain('No resources found');
    });

    it('then creates the Bookinfo networking samples', async () => {
      const files = ['bookinfo-gateway.yaml', 'destination-rule-all.yaml', 'virtual-service-all-v1.yaml'];
      for (const file of files) {
        const objects = await manifests(istio(file));
        const applied = await kubectl.run(['apply', '-f', istio(file)]);
        expectSuccess(applied);
        expect(lines(applied.stdout)).toEqual(objects.map((object) => `${kubectlName(object)} created`));
      }
      const listed = await kubectl.run(['get', 'vs', '-n', 'default']);
      expectSuccess(listed);
      expect(names(listed.stdout)).toEqual(['bookinfo', 'details', 'productpage', 'ratings', 'reviews']);
      const rules = await kubectl.run(['get', 'dr', '-o', 'jsonpath={.items[*].spec.host}']);
      expectSuccess(rules);
      expect(rules.stdout.split(' ').sort()).toEqual(['details', 'productpage', 'ratings', 'reviews']);
    });
  });

  describe('the Bookinfo cluster, step by step', () => {
    let simulator: TestSimulator;
    let kubectl: Kubectl;
    let workDirectory: string;

    beforeAll(async () => {
      ({ simulator, kubectl, workDirectory } = await startCluster('bookinfo'));
    });
    afterAll(async () => {
      await simulator?.dispose();
    });

    async function jsonpath(resource: string[], path: string): Promise<string> {
      const result = await kubectl.run(['get', ...resource, '-o', `jsonpath=${path}`]);
      expectSuccess(result);
      return result.stdout;
    }

    async function writeYaml(file: string, value: unknown): Promise<string> {
      const path = join(workDirectory, file);
      await writeFile(path, typeof value === 'string' ? value : stringify(value));
      return path;
    }

    describe('discovery', () => {
      it('reports a 1.32 server', async () => {
        const result = await kubectl.run(['version', '-o', 'json']);
        expectSuccess(result);
        const version = JSON.parse(result.stdout) as { serverVersion?: { gitVersion?: string } };
        expect(version.serverVersion?.gitVersion).toMatch(/^v1\.32\./);
      });

      it('lists the Istio and core API versions', async () => {
        const result = await kubectl.run(['api-versions']);
        expectSuccess(result);
        expect(lines(result.stdout)).toEqual(
          expect.arrayContaining([
            'networking.istio.io/v1',
            'networking.istio.io/v1beta1',
            'networking.istio.io/v1alpha3',
            'security.istio.io/v1',
            'telemetry.istio.io/v1',
            'apps/v1',
            'v1',
          ]),
        );
      });

      it('lists the networking resources with their short names and verbs', async () => {
        const result = await kubectl.run(['api-resources', '--api-group=networking.istio.io', '-o', 'wide']);
        expectSuccess(result);
        expect(tableHeader(result.stdout)).toEqual([
          'NAME',
          'SHORTNAMES',
          'APIVERSION',
          'NAMESPACED',
          'KIND',
          'VERBS',
          'CATEGORIES',
        ]);
        const byName = new Map(
          lines(result.stdout)
            .slice(1)
            .map((line) => line.trim().split(/\s+/))
            .map((row) => [row[0], row] as const),
        );
        for (const [resource, shortName, kind] of [
          ['virtualservices', 'vs', 'VirtualService'],
          ['destinationrules', 'dr', 'DestinationRule'],
          ['gateways', 'gw', 'Gateway'],
          ['serviceentries', 'se', 'ServiceEntry'],
        ] as const) {
          const row = byName.get(resource);
          expect(row, `no row for ${resource}`).toBeDefined();
          expect(row?.slice(1, 5)).toEqual([shortName, 'networking.istio.io/v1', 'true', kind]);
          expect(row?.[5]?.split(',')).toEqual(expect.arrayContaining(['get', 'list', 'watch', 'patch']));
        }
      });
    });

    describe('applying every Istio sample', () => {
      it.each(istioFiles)('applies %s, and a second apply leaves it unchanged', async (file) => {
        const objects = await manifests(istio(file));
        expect(objects.length).toBeGreaterThan(0);
        const expected = objects.map(kubectlName);

        const first = await kubectl.run(['apply', '-f', istio(file)]);
        expectSuccess(first);
        const firstLines = lines(first.stdout);
        expect(firstLines.map((line) => line.replace(/ (created|configured|unchanged)$/, ''))).toEqual(
          expected,
        );

        const second = await kubectl.run(['apply', '-f', istio(file)]);
        expectSuccess(second);
        expect(lines(second.stdout)).toEqual(expected.map((name) => `${name} unchanged`));
      });

      it('applied the Bookinfo workloads too', async () => {
        const result = await kubectl.run(['get', 'deploy,svc,sa', '-n', 'default', '-o', 'name']);
        expectSuccess(result);
        expect(lines(result.stdout)).toEqual(
          expect.arrayContaining([
            'deployment.apps/reviews-v1',
            'deployment.apps/productpage-v1',
            'service/reviews',
            'serviceaccount/bookinfo-reviews',
          ]),
        );
      });
    });

    describe('reading', () => {
      it('lists VirtualServices in all namespaces', async () => {
        const result = await kubectl.run(['get', 'vs', '-A']);
        expectSuccess(result);
        expect(tableHeader(result.stdout)).toEqual(['NAMESPACE', 'NAME', 'GATEWAYS', 'HOSTS', 'AGE']);
        const rows = tableRows(result.stdout).map((row) => `${row[0]}/${row[1]}`);
        expect(rows).toEqual(
          expect.arrayContaining([
            'default/reviews',
            'default/ratings',
            'default/details',
            'default/productpage',
            'default/bookinfo',
            'istio-system/cert-manager',
          ]),
        );
      });

      it('prints the printer columns of a namespace, arrays as JSON', async () => {
        const result = await kubectl.run(['get', 'vs', '-n', 'default']);
        expectSuccess(result);
        expect(tableHeader(result.stdout)).toEqual(['NAME', 'GATEWAYS', 'HOSTS', 'AGE']);
        const reviews = lines(result.stdout).find((line) => line.startsWith('reviews '));
        expect(reviews).toMatch(/^reviews\s+\["reviews"\]\s+\d+[smhd]/);
        const bookinfo = lines(result.stdout).find((line) => line.startsWith('bookinfo '));
        expect(bookinfo).toMatch(/^bookinfo\s+\["bookinfo-gateway"\]\s+\["\*"\]\s+\d+[smhd]/);
      });

      it('prints an object as YAML with its server-set metadata', async () => {
        const result = await kubectl.run(['get', 'dr', 'reviews', '-o', 'yaml']);
        expectSuccess(result);
        expect(result.stdout).toMatch(/^apiVersion: networking\.istio\.io\/v1$/m);
        expect(result.stdout).toMatch(/^ {2}resourceVersion: "\d+"$/m);
        const object = parse(result.stdout) as {
          kind: string;
          metadata: Record<string, unknown>;
          spec: { host: string };
        };
        expect(object.kind).toBe('DestinationRule');
        expect(typeof object.metadata.resourceVersion).toBe('string');
        expect(object.metadata.generation).toEqual(expect.any(Number));
        expect(object.metadata.generation).toBeGreaterThanOrEqual(1);
        expect(object.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(object.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(object.spec.host).toBe('reviews');
      });

      it('serves a Gateway at the storage version and, asked for, at v1alpha3', async () => {
        expect(await jsonpath(['gw', 'bookinfo-gateway'], '{.apiVersion}')).toBe('networking.istio.io/v1');
        expect(
          await jsonpath(['gateways.v1alpha3.networking.istio.io', 'bookinfo-gateway'], '{.apiVersion}'),
        ).toBe('networking.istio.io/v1alpha3');
      });
    });

    describe('patching', () => {
      const routeWeights = '{range .spec.http[0].route[*]}{.destination.subset}={.weight} {end}';

      it('merge-patches the reviews split to 80/20 and bumps the generation', async () => {
        const before = Number(await jsonpath(['vs', 'reviews'], '{.metadata.generation}'));
        const patch = {
          spec: {
            http: [
              {
                route: [
                  { destination: { host: 'reviews', subset: 'v1' }, weight: 80 },
                  { destination: { host: 'reviews', subset: 'v2' }, weight: 20 },
                ],
              },
            ],
          },
        };
        const result = await kubectl.run([
          'patch',
          'vs',
          'reviews',
          '--type',
          'merge',
          '-p',
          JSON.stringify(patch),
        ]);
        expectSuccess(result);
        expect(result.stdout.trim()).toBe('virtualservice.networking.istio.io/reviews patched');
        expect((await jsonpath(['vs', 'reviews'], routeWeights)).trim()).toBe('v1=80 v2=20');
        const after = Number(await jsonpath(['vs', 'reviews'], '{.metadata.generation}'));
        expect(after).toBe(before + 1);
      });

      it('applies a JSON patch', async () => {
        const patch = [{ op: 'replace', path: '/spec/http/0/route/1/destination/subset', value: 'v3' }];
        const result = await kubectl.run([
          'patch',
          'vs',
          'reviews',
          '--type',
          'json',
          '-p',
          JSON.stringify(patch),
        ]);
        expectSuccess(result);
        expect(result.stdout.trim()).toBe('virtualservice.networking.istio.io/reviews patched');
        expect((await jsonpath(['vs', 'reviews'], routeWeights)).trim()).toBe('v1=80 v3=20');
      });

      it('rejects a JSON patch whose test fails, changing nothing', async () => {
        const before = await jsonpath(['vs', 'reviews'], '{.metadata.resourceVersion}');
        const patch = [
          { op: 'test', path: '/spec/http/0/route/0/weight', value: 5 },
          { op: 'replace', path: '/spec/http/0/route/0/weight', value: 50 },
        ];
        const result = await kubectl.run([
          'patch',
          'vs',
          'reviews',
          '--type',
          'json',
          '-p',
          JSON.stringify(patch),
        ]);
        expectFailure(result, 'test failed');
        expect(await jsonpath(['vs', 'reviews'], '{.metadata.resourceVersion}')).toBe(before);
        expect((await jsonpath(['vs', 'reviews'], routeWeights)).trim()).toBe('v1=80 v3=20');
      });

      it('refuses a strategic merge patch on a custom resource', async () => {
        const result = await kubectl.run(['patch', 'vs', 'reviews', '-p', '{"spec":{"hosts":["reviews"]}}']);
        expectFailure(
          result,
          'error: application/strategic-merge-patch+json is not supported by networking.istio.io/v1, Kind=VirtualService',
        );
      });
    });

    describe('labels and selectors', () => {
      it('labels a VirtualService and selects it by label', async () => {
        const labeled = await kubectl.run(['label', 'vs', 'reviews', 'team=a']);
        expectSuccess(labeled);
        expect(labeled.stdout.trim()).toBe('virtualservice.networking.istio.io/reviews labeled');
        const selected = await kubectl.run(['get', 'vs', '-l', 'team=a']);
        expectSuccess(selected);
        expect(names(selected.stdout)).toEqual(['reviews']);
        const inSet = await kubectl.run(['get', 'vs', '-l', 'team in (a,b)', '--show-labels']);
        expectSuccess(inSet);
        expect(tableHeader(inSet.stdout).at(-1)).toBe('LABELS');
        expect(tableRows(inSet.stdout)).toEqual([['reviews', '["reviews"]', expect.any(String), 'team=a']]);
      });

      it('selects by field', async () => {
        const result = await kubectl.run(['get', 'vs', '--field-selector', 'metadata.name=reviews']);
        expectSuccess(result);
        expect(names(result.stdout)).toEqual(['reviews']);
      });

      it('lists everything in chunks of one', async () => {
        const whole = await kubectl.run(['get', 'vs']);
        expectSuccess(whole);
        expect(names(whole.stdout).length).toBeGreaterThan(2);
        const chunked = await kubectl.run(['get', 'vs', '--chunk-size=1', '-v=6']);
        expectSuccess(chunked);
        expect(names(chunked.stdout)).toEqual(names(whole.stdout));
        // kubectl really paged: one request per object, each after the first with a continue token
        const pages = lines(chunked.stderr).filter((line) => /virtualservices\?.*limit=1/.test(line));
        expect(pages.length).toBeGreaterThanOrEqual(names(whole.stdout).length);
        expect(pages.filter((line) => line.includes('continue=')).length).toBe(pages.length - 1);
      });
    });

    describe('watching', () => {
      it('prints a new row when a VirtualService changes during `get -w`', async () => {
        const host = 'ratings.default.svc.cluster.local';
        const watch = kubectl.start(['get', 'vs', '-w'], { timeoutMs: 30_000 });
        try {
          await eventually(
            () => {
              const seen = names(watch.stdout());
              return ['bookinfo', 'details', 'productpage', 'ratings', 'reviews'].every((name) =>
                seen.includes(name),
              )
                ? true
                : undefined;
            },
            15_000,
            `the initial rows of kubectl get -w (stdout: ${JSON.stringify(watch.stdout())})`,
          );
          expect(tableHeader(watch.stdout())).toEqual(['NAME', 'GATEWAYS', 'HOSTS', 'AGE']);
          expect(watch.stdout()).not.toContain(host);

          const patched = await kubectl.run([
            'patch',
            'vs',
            'ratings',
            '--type',
            'merge',
            '-p',
            JSON.stringify({ spec: { hosts: ['ratings', host] } }),
          ]);
          expectSuccess(patched);

          const row = await eventually(
            () => lines(watch.stdout()).find((line) => line.startsWith('ratings ') && line.includes(host)),
            15_000,
            'a watch row for the patched ratings',
          );
          expect(row).toMatch(/^ratings\s+\["ratings","ratings\.default\.svc\.cluster\.local"\]\s+\d+[smhd]/);
          expect(names(watch.stdout()).filter((name) => name === 'ratings')).toHaveLength(2);
          expect(watch.child.exitCode).toBeNull();
        } finally {
          await watch.stop();
        }
        expect(watch.stderr()).toBe('');
      });
    });

    describe('errors', () => {
      it('reports AlreadyExists when creating an existing object', async () => {
        const result = await kubectl.run(['create', '-f', istio('virtual-service-ratings-test-delay.yaml')]);
        expectFailure(
          result,
          /^Error from server \(AlreadyExists\): error when creating ".*virtual-service-ratings-test-delay\.yaml": virtualservices\.networking\.istio\.io "ratings" already exists$/m,
        );
      });

      it('reports Conflict when replacing with a stale resourceVersion', async () => {
        const current = await kubectl.run(['get', 'vs', 'reviews', '-o', 'json']);
        expectSuccess(current);
        const object = JSON.parse(current.stdout) as { metadata: { resourceVersion: string } };
        const currentVersion = object.metadata.resourceVersion;
        object.metadata.resourceVersion = '1';
        const path = await writeYaml('stale-reviews.json', JSON.stringify(object));
        const result = await kubectl.run(['replace', '-f', path]);
        expectFailure(
          result,
          'Error from server (Conflict): error when replacing "' +
            path +
            '": Operation cannot be fulfilled on virtualservices.networking.istio.io "reviews": the object has been modified',
        );
        expect(await jsonpath(['vs', 'reviews'], '{.metadata.resourceVersion}')).toBe(currentVersion);
      });

      it('refuses a name that is not a DNS subdomain', async () => {
        const path = await writeYaml('bad-name.yaml', {
          apiVersion: 'networking.istio.io/v1',
          kind: 'VirtualService',
          metadata: { name: 'Bad_Name' },
          spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] },
        });
        const result = await kubectl.run(['apply', '-f', path]);
        // kubectl prints each cause as `<field>: <message>`; the API server's cause message has no field prefix
        expectFailure(
          result,
          /^The VirtualService "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/m,
        );
      });

      it('refuses a DestinationRule without its required host', async () => {
        const path = await writeYaml('no-host.yaml', {
          apiVersion: 'networking.istio.io/v1',
          kind: 'DestinationRule',
          metadata: { name: 'no-host' },
          spec: { subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
        });
        const result = await kubectl.run(['apply', '-f', path]);
        expectFailure(result, /^The DestinationRule "no-host" is invalid: spec\.host: Required value$/m);
        expectFailure(await kubectl.run(['get', 'dr', 'no-host']), 'Error from server (NotFound)');
      });

      it('refuses a route weight that is a string', async () => {
        const path = await writeYaml('string-weight.yaml', {
          apiVersion: 'networking.istio.io/v1',
          kind: 'VirtualService',
          metadata: { name: 'string-weight' },
          spec: {
            hosts: ['reviews'],
            http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 'eighty' }] }],
          },
        });
        const result = await kubectl.run(['apply', '-f', path]);
        expectFailure(
          result,
          /^The VirtualService "string-weight" is invalid: spec\.http\[0\]\.route\[0\]\.weight: Invalid value: "string": .*must be of type integer/m,
        );
        expectFailure(await kubectl.run(['get', 'vs', 'string-weight']), 'Error from server (NotFound)');
      });

      it('reports NotFound for a missing object', async () => {
        const result = await kubectl.run(['get', 'vs', 'nope']);
        expectFailure(
          result,
          'Error from server (NotFound): virtualservices.networking.istio.io "nope" not found',
        );
        expect(result.stdout).toBe('');
      });
    });

    describe('deleting, dry runs and diffs', () => {
      it('deletes a VirtualService', async () => {
        const deleted = await kubectl.run(['delete', 'vs', 'ratings']);
        expectSuccess(deleted);
        expect(deleted.stdout.trim()).toBe('virtualservice.networking.istio.io "ratings" deleted');
        expectFailure(
          await kubectl.run(['get', 'vs', 'ratings']),
          'Error from server (NotFound): virtualservices.networking.istio.io "ratings" not found',
        );
      });

      it('changes nothing on a server-side dry run', async () => {
        const versions = '{range .items[*]}{.metadata.name}={.metadata.resourceVersion} {end}';
        const before = await jsonpath(['vs'], versions);
        const result = await kubectl.run([
          'apply',
          '--dry-run=server',
          '-f',
          istio('virtual-service-all-v1.yaml'),
        ]);
        expectSuccess(result);
        expect(lines(result.stdout)).toEqual(
          expect.arrayContaining([
            'virtualservice.networking.istio.io/ratings created (server dry run)',
            'virtualservice.networking.istio.io/reviews configured (server dry run)',
          ]),
        );
        expect(await jsonpath(['vs'], versions)).toBe(before);
        expectFailure(await kubectl.run(['get', 'vs', 'ratings']), 'Error from server (NotFound)');
      });

      it('diffs a file against the cluster: exit 1 with a diff when it differs, 0 when not', async () => {
        const differs = await kubectl.run(['diff', '-f', istio('virtual-service-all-v1.yaml')]);
        expect(differs.code, differs.stderr).toBe(1);
        expect(differs.stdout).toMatch(/^\+\+\+ \S+VirtualService\.default\.reviews\s/m);
        expect(differs.stdout).toMatch(/^- +subset: v3$/m);
        expect(differs.stdout).toMatch(/^\+\+\+ \S+VirtualService\.default\.ratings\s/m);
        expect(differs.stdout).toMatch(/^\+ +- ratings$/m);

        const same = await kubectl.run(['diff', '-f', istio('destination-rule-reviews.yaml')]);
        expect(same.code, same.stdout + same.stderr).toBe(0);
        expect(same.stdout).toBe('');
      });
    });

    describe('workloads and sidecars', () => {
      let pod: string;

      it('scales a Deployment and its pods come up Running', async () => {
        const scaled = await kubectl.run(['scale', 'deploy', 'reviews-v1', '--replicas=2']);
        expectSuccess(scaled);
        expect(scaled.stdout.trim()).toBe('deployment.apps/reviews-v1 scaled');
        const rows = await eventually(
          async () => {
            const result = await kubectl.run(['get', 'pods', '-l', 'app=reviews,version=v1']);
            expectSuccess(result);
            const found = tableRows(result.stdout);
            return found.length === 2 && found.every((row) => row[1] === '2/2' && row[2] === 'Running')
              ? found
              : undefined;
          },
          20_000,
          'two Running reviews-v1 pods',
        );
        pod = rows[0]?.[0] ?? '';
        expect(pod).toMatch(/^reviews-v1-/);
      });

      it('prints the istio-proxy log', async () => {
        const result = await kubectl.run(['logs', pod, '-c', 'istio-proxy']);
        expectSuccess(result);
        expect(result.stdout.trim().length).toBeGreaterThan(0);
      });

      it("proxies to the sidecar's Prometheus port", async () => {
        const result = await kubectl.run([
          'get',
          '--raw',
          `/api/v1/namespaces/default/pods/${pod}:15090/proxy/stats/prometheus`,
        ]);
        expectSuccess(result);
        expect(result.stdout).toMatch(/^envoy_server_live(\{\})? 1$/m);
      });

      it("cannot reach Envoy's admin port, which listens on localhost only", async () => {
        const result = await kubectl.run([
          'get',
          '--raw',
          `/api/v1/namespaces/default/pods/${pod}:15000/proxy/stats`,
        ]);
        expectFailure(result, 'Error from server (ServiceUnavailable)');
        expect(result.stdout).toBe('');
      });
    });

    describe('a read-only user', () => {
      const mergePatch = JSON.stringify({ metadata: { labels: { owner: 'viewer' } } });

      async function allowedToPatch(kubeconfig: string): Promise<string> {
        const path = await writeYaml('ssar.yaml', {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: {
            resourceAttributes: {
              group: 'networking.istio.io',
              resource: 'virtualservices',
              verb: 'patch',
              namespace: 'default',
            },
          },
        });
        const result = await kubectl.run(['create', '-f', path, '-o', 'jsonpath={.status.allowed}'], {
          kubeconfig,
        });
        expectSuccess(result);
        return result.stdout;
      }

      it('reads VirtualServices', async () => {
        const result = await kubectl.run(['get', 'vs', '-A'], { kubeconfig: simulator.kubeconfigs.viewer });
        expectSuccess(result);
        const rows = tableRows(result.stdout).map((row) => `${row[0]}/${row[1]}`);
        expect(rows).toEqual(expect.arrayContaining(['default/reviews', 'default/bookinfo']));
      });

      it('may not patch them', async () => {
        const result = await kubectl.run(['patch', 'vs', 'reviews', '--type', 'merge', '-p', mergePatch], {
          kubeconfig: simulator.kubeconfigs.viewer,
        });
        expectFailure(
          result,
          /^Error from server \(Forbidden\): virtualservices\.networking\.istio\.io "reviews" is forbidden: User ".*" cannot patch resource "virtualservices" in API group "networking\.istio\.io" in the namespace "default"$/m,
        );
        expect(await jsonpath(['vs', 'reviews'], '{.metadata.labels.owner}')).toBe('');
      });

      it('is told so by a SelfSubjectAccessReview, unlike the admin', async () => {
        expect(await allowedToPatch(simulator.kubeconfigs.viewer)).toBe('false');
        expect(await allowedToPatch(simulator.kubeconfigs.admin)).toBe('true');
      });

      it('may not list Secrets', async () => {
        const result = await kubectl.run(['get', 'secrets'], { kubeconfig: simulator.kubeconfigs.viewer });
        expectFailure(
          result,
          /^Error from server \(Forbidden\): secrets is forbidden: User ".*" cannot list resource "secrets"/m,
        );
      });
    });

    describe('explain, categories and describe', () => {
      it('explains a nested field from the OpenAPI schema', async () => {
        const result = await kubectl.run(['explain', 'vs.spec.http.route']);
        expectSuccess(result);
        expect(result.stdout).toMatch(/^GROUP:\s+networking\.istio\.io$/m);
        expect(result.stdout).toMatch(/^KIND:\s+VirtualService$/m);
        expect(result.stdout).toMatch(/^VERSION:\s+v1$/m);
        expect(result.stdout).toMatch(/^ {2}destination\t<Object>/m);
        expect(result.stdout).toMatch(/^ {2}weight\t<integer>/m);
      });

      it('gets the istio-io category, one section per kind', async () => {
        const result = await kubectl.run(['get', 'istio-io', '-n', 'default']);
        expectSuccess(result);
        const sections = result.stdout.trim().split(/\n\s*\n/);
        const kinds = sections.map((section) => (names(section)[0] ?? '').split('/')[0]);
        expect(kinds).toEqual(
          expect.arrayContaining([
            'destinationrule.networking.istio.io',
            'gateway.networking.istio.io',
            'serviceentry.networking.istio.io',
            'virtualservice.networking.istio.io',
          ]),
        );
        const all = sections.flatMap(names);
        expect(all).toEqual(
          expect.arrayContaining([
            'virtualservice.networking.istio.io/reviews',
            'destinationrule.networking.istio.io/reviews',
            'gateway.networking.istio.io/bookinfo-gateway',
          ]),
        );
      });

      it('gets all, one section per kind', async () => {
        const result = await kubectl.run(['get', 'all', '-n', 'default']);
        expectSuccess(result);
        const sections = result.stdout.trim().split(/\n\s*\n/);
        const kinds = sections.map((section) => (names(section)[0] ?? '').split('/')[0]);
        expect(kinds).toEqual(
          expect.arrayContaining(['pod', 'service', 'deployment.apps', 'replicaset.apps']),
        );
        expect(result.stdout).toMatch(/^deployment\.apps\/reviews-v1\s+2\/2\s/m);
      });

      it('describes a VirtualService', async () => {
        const result = await kubectl.run(['describe', 'vs', 'reviews']);
        expectSuccess(result);
        expect(result.stdout).toMatch(/^Name:\s+reviews$/m);
        expect(result.stdout).toMatch(/^Kind:\s+VirtualService$/m);
        expect(result.stdout).toMatch(/^Events:\s+<none>$/m);
      });
    });

    describe('authentication', () => {
      it('turns away a wrong token', async () => {
        const config = parse(await readFile(simulator.kubeconfigs.admin, 'utf8')) as {
          users: { user: { token?: string } }[];
        };
        expect(config.users).toHaveLength(1);
        for (const user of config.users) user.user.token = 'not-the-admin-token';
        const path = await writeYaml('wrong-token.kubeconfig', config);
        const result = await kubectl.run(['get', 'vs'], { kubeconfig: path });
        expectFailure(result, /^error: You must be logged in to the server \(/m);
        expect(result.stdout).toBe('');
      });
    });
  });
});
