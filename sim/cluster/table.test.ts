import { describe, expect, it } from 'vitest';
import type { PrinterColumn, ResourceType, ResourceVersionInfo } from './resource-type';
import { buildTable, builtInCells, builtInColumns, formatAge, type IncludeObject, type Table } from './table';
import type { KubeObject } from './types';

const now = new Date('2025-06-01T12:00:00Z');

/** `now` minus the given seconds, as an RFC 3339 timestamp */
function ago(seconds: number): string {
  return new Date(now.getTime() - seconds * 1000).toISOString();
}

const minute = 60;
const hour = 60 * minute;
const day = 24 * hour;
const year = 365 * day;

describe('formatAge', () => {
  it.each([
    [-5, '<invalid>'],
    [-1, '0s'],
    [0, '0s'],
    [46, '46s'],
    [119, '119s'],
    [2 * minute, '2m'],
    [5 * minute + 10, '5m10s'],
    [9 * minute + 59, '9m59s'],
    [10 * minute + 30, '10m'],
    [45 * minute, '45m'],
    [3 * hour - 1, '179m'],
    [3 * hour, '3h'],
    [3 * hour + 20 * minute, '3h20m'],
    [8 * hour + 30 * minute, '8h'],
    [47 * hour, '47h'],
    [2 * day, '2d'],
    [2 * day + 5 * hour, '2d5h'],
    [10 * day, '10d'],
    [729 * day, '729d'],
    [2 * year, '2y'],
    [2 * year + 45 * day, '2y45d'],
    [8 * year + 3 * day, '8y'],
  ])('%i seconds ago is %s', (seconds, expected) => {
    expect(formatAge(ago(seconds), now)).toBe(expected);
  });

  it('accepts a Date and reports unparsable text as invalid', () => {
    expect(formatAge(new Date(now.getTime() - 90_000), now)).toBe('90s');
    expect(formatAge('yesterday-ish', now)).toBe('<invalid>');
  });
});

function version(name: string, printerColumns: PrinterColumn[]): ResourceVersionInfo {
  return { name, served: true, storage: name === 'v1', printerColumns };
}

function resourceType(fields: Partial<ResourceType> & Pick<ResourceType, 'kind' | 'plural'>): ResourceType {
  return {
    group: '',
    versions: [version('v1', [])],
    singular: fields.kind.toLowerCase(),
    listKind: `${fields.kind}List`,
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: ['get', 'list'],
    subresources: [],
    builtIn: true,
    omitKindInListItems: true,
    hasGeneration: false,
    ...fields,
  };
}

const ageColumn: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

const virtualServices = resourceType({
  group: 'networking.istio.io',
  kind: 'VirtualService',
  plural: 'virtualservices',
  builtIn: false,
  omitKindInListItems: false,
  versions: [
    version('v1', [
      { name: 'Gateways', type: 'string', jsonPath: '.spec.gateways', description: 'The gateways' },
      { name: 'Hosts', type: 'string', jsonPath: '.spec.hosts', description: 'The destination hosts' },
      ageColumn,
    ]),
    version('v1alpha3', [{ name: 'Hosts', type: 'string', jsonPath: '.spec.hosts' }]),
  ],
});

const reviews: KubeObject = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: {
    name: 'reviews',
    namespace: 'bookinfo',
    creationTimestamp: ago(46),
    labels: { team: 'a' },
    managedFields: [{ manager: 'kubectl' }],
  },
  spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews' } }] }] },
};

function table(
  type: ResourceType,
  objects: KubeObject[],
  extra: { version?: string; includeObject?: IncludeObject } = {},
): Table {
  return buildTable({
    type,
    version: extra.version ?? 'v1',
    objects,
    resourceVersion: '1017',
    includeObject: extra.includeObject ?? 'Metadata',
    now,
  });
}

function cellsByColumn(result: Table, rowIndex = 0): Record<string, unknown> {
  const cells = result.rows[rowIndex]?.cells ?? [];
  return Object.fromEntries(result.columnDefinitions.map((column, index) => [column.name, cells[index]]));
}

describe('buildTable for custom resources', () => {
  it('uses the version printer columns with JSON text for arrays and server-side ages', () => {
    const result = table(virtualServices, [reviews]);
    expect(result.kind).toBe('Table');
    expect(result.apiVersion).toBe('meta.k8s.io/v1');
    expect(result.metadata).toEqual({ resourceVersion: '1017' });
    expect(result.columnDefinitions.map((column) => [column.name, column.type, column.format])).toEqual([
      ['Name', 'string', 'name'],
      ['Gateways', 'string', ''],
      ['Hosts', 'string', ''],
      ['Age', 'date', ''],
    ]);
    expect(result.columnDefinitions[2]?.description).toBe('The destination hosts');
    expect(result.columnDefinitions[3]?.description).toBe(
      'Custom resource definition column (in JSONPath format): .metadata.creationTimestamp',
    );
    // a missing value is a null cell, which kubectl prints as <none>
    expect(result.rows[0]?.cells).toEqual(['reviews', null, '["reviews"]', '46s']);
  });

  it('picks the columns of the requested version', () => {
    const result = table(virtualServices, [reviews], { version: 'v1alpha3' });
    expect(result.columnDefinitions.map((column) => column.name)).toEqual(['Name', 'Hosts']);
  });

  it('gives a version without printer columns Name and a date-typed Age', () => {
    const gateways = resourceType({
      group: 'networking.istio.io',
      kind: 'Gateway',
      plural: 'gateways',
      builtIn: false,
      versions: [version('v1', [])],
    });
    const gateway: KubeObject = { metadata: { name: 'bookinfo-gateway', creationTimestamp: ago(3 * hour) } };
    const result = table(gateways, [gateway]);
    expect(result.columnDefinitions.map((column) => [column.name, column.type])).toEqual([
      ['Name', 'string'],
      ['Age', 'date'],
    ]);
    expect(result.rows[0]?.cells).toEqual(['bookinfo-gateway', '3h']);
  });

  it('renders nested paths, maps, numbers and booleans by column type', () => {
    const policies = resourceType({
      kind: 'PeerAuthentication',
      plural: 'peerauthentications',
      builtIn: false,
      versions: [
        version('v1', [
          { name: 'Mode', type: 'string', jsonPath: '.spec.mtls.mode' },
          { name: 'Selector', type: 'string', jsonPath: '.spec.selector' },
          { name: 'Weight', type: 'integer', jsonPath: '.spec.weight' },
          { name: 'Count', type: 'string', jsonPath: '.spec.weight' },
          { name: 'Strict', type: 'boolean', jsonPath: '.spec.strict' },
          { name: 'Wrong', type: 'integer', jsonPath: '.spec.mtls.mode' },
          { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
        ]),
      ],
    });
    const policy: KubeObject = {
      metadata: { name: 'default' },
      spec: { mtls: { mode: 'STRICT' }, selector: { version: 'v1', app: 'a<b' }, weight: 7.9, strict: true },
      status: {
        conditions: [
          { type: 'Synced', status: 'False' },
          { type: 'Ready', status: 'True' },
        ],
      },
    };
    expect(cellsByColumn(table(policies, [policy]))).toEqual({
      Name: 'default',
      Mode: 'STRICT',
      // Go's json.Marshal: sorted keys, HTML-safe escapes
      Selector: '{"app":"a\\u003cb","version":"v1"}',
      Weight: 7,
      Count: '7.9',
      Strict: true,
      Wrong: null,
      Ready: 'True',
    });
  });
});

describe('buildTable printer column paths', () => {
  /** `.a[0].b` spelled `['a'][0]['b']`, which only jsonpath-plus reads (no compiled lookup) */
  const bracketed = (path: string) => path.replaceAll(/\.([A-Za-z_][A-Za-z0-9_]*)/g, "['$1']");
  const paths = [
    '.spec.mtls.mode',
    '.spec.hosts',
    '.spec.hosts[1]',
    '.spec.hosts[5]',
    '.spec.hosts.length',
    '.spec.http[0].route[0].weight',
    '.spec.http[0].route[1].weight',
    '.spec.missing.deeper',
    '.spec.nothing',
    '.spec.nothing.deeper',
    '.spec.zero.deeper',
    '.spec.empty.length',
    '.spec.off.deeper',
    '.metadata.name.length',
    '.metadata.name[0]',
    '.spec.constructor',
    '.spec.byIndex[0]',
  ];
  const columnsFor = (spell: (path: string) => string) =>
    resourceType({
      kind: 'Thing',
      plural: 'things',
      builtIn: false,
      versions: [
        version(
          'v1',
          paths.map((path) => ({ name: path, type: 'string', jsonPath: spell(path) })),
        ),
      ],
    });
  const objects: KubeObject[] = [
    {
      metadata: { name: 'first' },
      spec: {
        mtls: { mode: 'STRICT' },
        hosts: ['a', 'b'],
        http: [{ route: [{ weight: 90 }, { weight: 10 }] }],
        nothing: null,
        zero: 0,
        empty: '',
        off: false,
        byIndex: { 0: 'zero' },
      },
    },
    { metadata: { name: 'second' }, spec: { mtls: 'PERMISSIVE', hosts: 'not-a-list', http: [] } },
    { metadata: { name: 'third' } },
  ];

  it('reads simple paths exactly as jsonpath-plus does', () => {
    expect(bracketed('.a[0].b')).toBe("['a'][0]['b']");
    const compiled = table(
      columnsFor((path) => path),
      objects,
    );
    const evaluated = table(columnsFor(bracketed), objects);
    expect(compiled.rows.map((row) => row.cells)).toEqual(evaluated.rows.map((row) => row.cells));
    expect(cellsByColumn(compiled)).toMatchObject({
      '.spec.hosts[1]': 'b',
      '.spec.hosts[5]': null,
      '.spec.hosts.length': '2',
      '.spec.http[0].route[1].weight': '10',
      '.spec.nothing': null,
      '.spec.constructor': null,
      '.spec.byIndex[0]': 'zero',
    });
  });
});

describe('buildTable row objects', () => {
  it('attaches PartialObjectMetadata without managedFields by default', () => {
    const object = table(virtualServices, [reviews]).rows[0]?.object;
    expect(object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: {
        name: 'reviews',
        namespace: 'bookinfo',
        creationTimestamp: reviews.metadata.creationTimestamp,
        labels: { team: 'a' },
      },
    });
  });

  it('omits the object for None and carries the whole object for Object', () => {
    expect(table(virtualServices, [reviews], { includeObject: 'None' }).rows[0]).not.toHaveProperty('object');
    expect(table(virtualServices, [reviews], { includeObject: 'Object' }).rows[0]?.object).toBe(reviews);
  });

  it('carries the continue token when one is given', () => {
    const result = buildTable({
      type: virtualServices,
      version: 'v1',
      objects: [],
      resourceVersion: '5',
      continueToken: 'abc',
      includeObject: 'Metadata',
      now,
    });
    expect(result.metadata).toEqual({ resourceVersion: '5', continue: 'abc' });
    expect(result.rows).toEqual([]);
  });
});

const pods = resourceType({ kind: 'Pod', plural: 'pods' });

function runningContainer(name: string, restartCount: number): Record<string, unknown> {
  return { name, ready: true, restartCount, state: { running: { startedAt: ago(hour) } } };
}

const productpage: KubeObject = {
  metadata: { name: 'productpage-v1-123', namespace: 'bookinfo', creationTimestamp: ago(2 * day) },
  spec: {
    nodeName: 'node-1',
    containers: [{ name: 'productpage' }, { name: 'istio-proxy' }],
    initContainers: [{ name: 'istio-init' }],
  },
  status: {
    phase: 'Running',
    podIP: '10.244.0.12',
    initContainerStatuses: [{ name: 'istio-init', restartCount: 0, state: { terminated: { exitCode: 0 } } }],
    containerStatuses: [runningContainer('productpage', 0), runningContainer('istio-proxy', 0)],
  },
};

describe('built-in Pod columns', () => {
  it('declares the kubectl column set with wide columns at priority 1', () => {
    expect(builtInColumns('Pod')?.map((column) => [column.name, column.priority ?? 0])).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ]);
  });

  it('shows READY 2/2, STATUS Running and the wide cells', () => {
    expect(cellsByColumn(table(pods, [productpage]))).toEqual({
      Name: 'productpage-v1-123',
      Ready: '2/2',
      Status: 'Running',
      Restarts: '0',
      Age: '2d',
      IP: '10.244.0.12',
      Node: 'node-1',
      'Nominated Node': '<none>',
      'Readiness Gates': '<none>',
    });
  });

  it('reports waiting containers, restarts and termination', () => {
    const crashing: KubeObject = {
      ...productpage,
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'productpage',
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastTerminationState: { terminated: { exitCode: 1, finishedAt: ago(90) } },
          },
          runningContainer('istio-proxy', 1),
        ],
      },
    };
    const crashingCells = cellsByColumn(table(pods, [crashing]));
    expect(crashingCells.Ready).toBe('1/2');
    expect(crashingCells.Status).toBe('CrashLoopBackOff');
    expect(crashingCells.Restarts).toBe('5 (90s ago)');

    const terminating = { ...productpage, metadata: { ...productpage.metadata, deletionTimestamp: ago(1) } };
    expect(cellsByColumn(table(pods, [terminating])).Status).toBe('Terminating');
  });

  it('reports a pod held back by an init container', () => {
    const initializing: KubeObject = {
      ...productpage,
      status: {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'istio-init', restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
        ],
      },
    };
    expect(cellsByColumn(table(pods, [initializing])).Status).toBe('Init:0/1');
    expect(builtInCells('Pod', initializing, now)[1]).toBe('0/2');
  });
});

describe('built-in Service columns', () => {
  const services = resourceType({ kind: 'Service', plural: 'services' });

  it('formats ports, cluster IP, external IP and selector', () => {
    const details: KubeObject = {
      metadata: { name: 'details', creationTimestamp: ago(5 * minute + 10) },
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.96.0.20',
        ports: [{ port: 9080, protocol: 'TCP' }],
        selector: { app: 'details' },
      },
    };
    const gateway: KubeObject = {
      metadata: { name: 'istio-ingressgateway', creationTimestamp: ago(hour) },
      spec: {
        type: 'LoadBalancer',
        clusterIPs: ['10.96.0.30'],
        ports: [
          { port: 80, nodePort: 31380, protocol: 'TCP' },
          { port: 443, nodePort: 31390 },
        ],
        selector: { istio: 'ingressgateway', app: 'istio-ingressgateway' },
      },
      status: { loadBalancer: { ingress: [{ ip: '172.18.0.240' }] } },
    };
    const result = table(services, [details, gateway]);
    expect(result.columnDefinitions.map((column) => column.name)).toEqual([
      'Name',
      'Type',
      'Cluster-IP',
      'External-IP',
      'Port(s)',
      'Age',
      'Selector',
    ]);
    expect(result.rows[0]?.cells).toEqual([
      'details',
      'ClusterIP',
      '10.96.0.20',
      '<none>',
      '9080/TCP',
      '5m10s',
      'app=details',
    ]);
    expect(cellsByColumn(result, 1)).toMatchObject({
      'Cluster-IP': '10.96.0.30',
      'External-IP': '172.18.0.240',
      'Port(s)': '80:31380/TCP,443:31390/TCP',
      Selector: 'app=istio-ingressgateway,istio=ingressgateway',
    });
    const pending = { ...gateway, status: {} };
    expect(cellsByColumn(table(services, [pending]))['External-IP']).toBe('<pending>');
  });
});

describe('other built-in column sets', () => {
  it('computes Deployment readiness and wide cells', () => {
    const deployment: KubeObject = {
      metadata: { name: 'reviews-v1', creationTimestamp: ago(10 * day) },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'reviews', version: 'v1' } },
        template: { spec: { containers: [{ name: 'reviews', image: 'bookinfo/reviews:1.20' }] } },
      },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    expect(
      table(resourceType({ kind: 'Deployment', plural: 'deployments' }), [deployment]).rows[0]?.cells,
    ).toEqual([
      'reviews-v1',
      '2/3',
      3,
      2,
      '10d',
      'reviews',
      'bookinfo/reviews:1.20',
      'app=reviews,version=v1',
    ]);
  });

  it('counts endpoints, config map data and events', () => {
    const endpoints: KubeObject = {
      metadata: { name: 'reviews' },
      subsets: [
        {
          addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: '10.0.0.3' }, { ip: '10.0.0.4' }],
          ports: [{ port: 9080 }],
        },
      ],
    };
    expect(builtInCells('Endpoints', endpoints, now)[1]).toBe(
      '10.0.0.1:9080,10.0.0.2:9080,10.0.0.3:9080 + 1 more...',
    );
    expect(builtInCells('Endpoints', { metadata: { name: 'x' } }, now)[1]).toBe('<none>');
    expect(builtInCells('ConfigMap', { metadata: { name: 'c' }, data: { a: '1', b: '2' } }, now)[1]).toBe(2);

    const event: KubeObject = {
      metadata: { name: 'reviews.1' },
      type: 'Warning',
      reason: 'BackOff',
      involvedObject: { kind: 'Pod', name: 'reviews-v1-abc' },
      message: 'Back-off restarting failed container ',
      lastTimestamp: ago(45 * minute),
    };
    expect(builtInCells('Event', event, now).slice(0, 7)).toEqual([
      '45m',
      'Warning',
      'BackOff',
      'pod/reviews-v1-abc',
      '',
      '',
      'Back-off restarting failed container',
    ]);
  });

  it('shows CRDs with an RFC 3339 creation time and unknown kinds with Name and Age', () => {
    const crd: KubeObject = {
      metadata: { name: 'gateways.networking.istio.io', creationTimestamp: '2025-05-30T08:01:02.123Z' },
    };
    expect(builtInCells('CustomResourceDefinition', crd, now)).toEqual([
      'gateways.networking.istio.io',
      '2025-05-30T08:01:02Z',
    ]);
    expect(builtInColumns('Node')).toBeUndefined();
    const nodes = resourceType({ kind: 'Node', plural: 'nodes', namespaced: false });
    const result = table(nodes, [
      { metadata: { name: 'node-1', creationTimestamp: ago(3 * hour + 20 * minute) } },
    ]);
    expect(result.columnDefinitions.map((column) => column.name)).toEqual(['Name', 'Age']);
    expect(result.rows[0]?.cells).toEqual(['node-1', '3h20m']);
  });
});
