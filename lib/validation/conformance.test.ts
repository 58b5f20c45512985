/**
 * Conformance with `istioctl analyze`: Istio's own analyzer test table (104 cases, in
 * ../shared/istio/analyzer-cases.json, inputs in analyzer-testdata/), run through our checks.
 *
 * Claimed Istio codes (every one has a checker in ./checkers, mapped in ./codes.ts):
 *   IST0002 Deprecated (VirtualService fault.delay.percent, Sidecar egressProxy)
 *   IST0101 ReferencedResourceNotFound: VirtualService hosts, ports, subsets and gateways; Gateway
 *           selector and credentialName; Sidecar and Telemetry selectors; AuthorizationPolicy
 *           source namespaces
 *   IST0102 NamespaceNotInjected         IST0103 PodMissingProxy
 *   IST0109 ConflictingMeshGatewayVirtualServiceHosts
 *   IST0110 ConflictingSidecarWorkloadSelectors   IST0111 MultipleSidecarsWithoutWorkloadSelectors
 *   IST0112 VirtualServiceDestinationPortSelectorRequired
 *   IST0118 PortNameIsNotUnderNamingConvention    IST0123 NamespaceMultipleInjectionLabels
 *   IST0127 NoMatchingWorkloadsFound
 *   IST0128 / IST0129 NoServerCertificateVerification (destination / port level)
 *   IST0130 VirtualServiceUnreachableRule         IST0131 VirtualServiceIneffectiveMatch
 *   IST0132 VirtualServiceHostNotFoundInGateway   IST0134 ServiceEntryAddressesRequired
 *   IST0138 GatewayDuplicateCertificate           IST0140 IngressRouteRulesNotAffected
 *   IST0145 ConflictingGateways                   IST0148 NamespaceInjectionEnabledByDefault
 *   IST0150 ExternalNameServiceTypeInvalidPortName
 *   IST0159 ConflictingTelemetryWorkloadSelectors IST0160 MultipleTelemetriesWithoutWorkloadSelectors
 *   IST0162 GatewayPortNotDefinedOnService        IST0165 ReferencedInternalGateway
 *   IST0167 IneffectivePolicy (Sidecar on ambient)
 *   IST0173 DestinationRuleSubsetNotSelectPods    IST0174 UnknownDestinationRuleHost
 *   IST0177 ConflictingServiceEntryProtocol
 *
 * A case is compared when its analyzer is one our codes map to (`istioAnalyzers` in ./codes.ts);
 * in it, Istio's expected messages with a claimed code are compared, as a multiset of
 * (code, resource), with our findings whose code maps to that analyzer. The harness reproduces
 * Istio's: root namespace istio-system, the case's mesh config, and the default ingress gateway
 * Pod and Service it adds to every case.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { CODES } from './codes';
import { fromManifests } from './from-manifests';
import { resourceName } from './suppression';
import { validate } from './validate';

const SHARED = new URL('../../../shared/istio/', import.meta.url);

interface AnalyzerCase {
  index: number;
  name: string;
  inputFiles: string[];
  meshConfigFile: string | null;
  analyzer: string;
  expected: { code: string; resource: string }[];
}

const CLAIMED_CODES = [
  'IST0002',
  'IST0101',
  'IST0102',
  'IST0103',
  'IST0109',
  'IST0110',
  'IST0111',
  'IST0112',
  'IST0118',
  'IST0123',
  'IST0127',
  'IST0128',
  'IST0129',
  'IST0130',
  'IST0131',
  'IST0132',
  'IST0134',
  'IST0138',
  'IST0140',
  'IST0145',
  'IST0148',
  'IST0150',
  'IST0159',
  'IST0160',
  'IST0162',
  'IST0165',
  'IST0167',
  'IST0173',
  'IST0174',
  'IST0177',
] as const;

/** Overall recall on the claimed codes must not drop below this (what the note reports). */
const RECALL_FLOOR = 0.99;
/** Overall precision on the claimed codes must not drop below this. */
const PRECISION_FLOOR = 0.99;

/** Our codes that map to each Istio analyzer. */
const CODES_BY_ANALYZER = new Map<string, Set<string>>();
for (const [code, info] of Object.entries(CODES)) {
  for (const analyzer of ('istioAnalyzers' in info ? info.istioAnalyzers : []) ?? []) {
    const codes = CODES_BY_ANALYZER.get(analyzer) ?? new Set();
    codes.add(code);
    CODES_BY_ANALYZER.set(analyzer, codes);
  }
}

/** What the harness adds to every case (`AddDefaultResources`). */
const DEFAULT_RESOURCES = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'istio-ingressgateway-dummypod',
      namespace: 'istio-system',
      labels: { istio: 'ingressgateway' },
    },
    spec: { containers: [{ name: 'istio-proxy' }] },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' },
    spec: {
      selector: { istio: 'ingressgateway' },
      ports: [
        { name: 'http2', port: 80 },
        { name: 'https', port: 443 },
        { name: 'tcp', port: 31400 },
        { name: 'tls', port: 15443 },
      ].map((port) => ({ ...port, targetPort: port.port, protocol: 'TCP' })),
    },
  },
];

function read(path: string): string {
  return readFileSync(new URL(path, SHARED), 'utf8');
}

function runCase(testCase: AnalyzerCase): string[] {
  const objects: unknown[] = [...DEFAULT_RESOURCES];
  for (const file of testCase.inputFiles) {
    for (const document of parseAllDocuments(read(`analyzer-testdata/${file}`))) {
      const value: unknown = document.toJS();
      if (value) objects.push(value);
    }
  }
  const meshConfig: unknown = testCase.meshConfigFile
    ? parseYaml(read(`analyzer-testdata/${testCase.meshConfigFile}`))
    : undefined;
  const ours = CODES_BY_ANALYZER.get(testCase.analyzer) ?? new Set();
  return validate(fromManifests(objects, { meshConfig }))
    .filter((finding) => ours.has(finding.code) && finding.istioCode !== undefined)
    .map((finding) => `${finding.istioCode} ${resourceName(finding.object)}`);
}

interface Tally {
  expected: number;
  found: number;
  matched: number;
}

function ratio(part: number, whole: number): string {
  return whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)} %`;
}

describe('conformance with istioctl analyze', () => {
  const cases = JSON.parse(read('analyzer-cases.json')) as AnalyzerCase[];
  const claimed = new Set<string>(CLAIMED_CODES);

  it('claims only codes some checker emits', () => {
    const emitted = new Set<string>(['IST0129']);
    for (const info of Object.values(CODES))
      if ('istioCode' in info && info.istioCode) emitted.add(info.istioCode);
    for (const code of claimed) expect(emitted, code).toContain(code);
  });

  it(`reaches ${100 * RECALL_FLOOR} % recall on the claimed codes`, () => {
    const tallies = new Map<string, Tally>(
      CLAIMED_CODES.map((code) => [code, { expected: 0, found: 0, matched: 0 }]),
    );
    const differences: string[] = [];
    let compared = 0;
    for (const testCase of cases) {
      if (!CODES_BY_ANALYZER.has(testCase.analyzer)) continue;
      compared++;
      const expected = testCase.expected
        .filter((item) => claimed.has(item.code))
        .map((item) => `${item.code} ${item.resource}`);
      const found = runCase(testCase).filter((item) => claimed.has(item.split(' ')[0] ?? ''));
      const remaining = [...expected];
      const extra: string[] = [];
      for (const item of found) {
        const position = remaining.indexOf(item);
        if (position >= 0) remaining.splice(position, 1);
        else extra.push(item);
      }
      const bump = (item: string, field: keyof Tally) => {
        const tally = tallies.get(item.split(' ')[0] ?? '');
        if (tally) tally[field]++;
      };
      for (const item of expected) bump(item, 'expected');
      for (const item of found) bump(item, 'found');
      for (const item of found.filter((entry) => !extra.includes(entry))) bump(item, 'matched');
      for (const item of remaining) differences.push(`#${testCase.index} ${testCase.name}: missed   ${item}`);
      for (const item of extra) differences.push(`#${testCase.index} ${testCase.name}: extra    ${item}`);
    }
    const total = { expected: 0, found: 0, matched: 0 };
    const rows = ['code     expected  ours  matched  precision  recall'];
    for (const [code, tally] of tallies) {
      total.expected += tally.expected;
      total.found += tally.found;
      total.matched += tally.matched;
      rows.push(
        `${code}  ${String(tally.expected).padStart(8)}  ${String(tally.found).padStart(4)}  ${String(tally.matched).padStart(7)}  ${ratio(tally.matched, tally.found).padStart(9)}  ${ratio(tally.matched, tally.expected).padStart(7)}`,
      );
    }
    rows.push(
      `overall  ${String(total.expected).padStart(8)}  ${String(total.found).padStart(4)}  ${String(total.matched).padStart(7)}  ${ratio(total.matched, total.found).padStart(9)}  ${ratio(total.matched, total.expected).padStart(7)}`,
    );
    console.log(
      `istioctl analyze conformance: ${compared} of ${cases.length} cases compared\n${rows.join('\n')}\n` +
        `differences (${differences.length}):\n${differences.join('\n') || '(none)'}`,
    );
    expect(total.matched / total.expected).toBeGreaterThanOrEqual(RECALL_FLOOR);
    expect(total.matched / total.found).toBeGreaterThanOrEqual(PRECISION_FLOOR);
  });
});
