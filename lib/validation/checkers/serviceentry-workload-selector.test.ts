import { describe, expect, it } from 'vitest';
import { findings, pod } from '../test-support';

const entry = (labels: string) => `
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: vm, namespace: default}
spec: {hosts: [vm.internal], ports: [{number: 80, name: http, protocol: HTTP}], workloadSelector: {labels: ${labels}}}
---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: vm-1, namespace: default}
spec: {address: 10.0.0.1, labels: {app: vm}}
---`;

describe('serviceentry-workload-selector', () => {
  it('accepts a selector matching WorkloadEntries or pods of its namespace', () => {
    expect(findings(entry('{app: vm}'), 'se.workload')).toEqual([]);
    expect(findings(entry('{app: web}') + pod('web-1', 'default', { app: 'web' }), 'se.workload')).toEqual(
      [],
    );
  });

  it('reports a selector matching nothing in its namespace', () => {
    expect(findings(entry('{app: web}') + pod('web-1', 'other', { app: 'web' }), 'se.workload')).toEqual([
      'se.workload-selector.no-workload ServiceEntry default/vm spec.workloadSelector.labels',
    ]);
  });
});
