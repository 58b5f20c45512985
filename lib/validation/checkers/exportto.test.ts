import { describe, expect, it } from 'vitest';
import { findings, namespace } from '../test-support';

const rule = (exportTo: string) => `${namespace('default')}${namespace('team-a')}
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: r, namespace: default}
spec: {host: "*.local", exportTo: ${exportTo}}
---`;

describe('exportto', () => {
  it('accepts ., *, ~ and existing namespaces', () => {
    expect(findings(rule('[".", "*", "~", team-a]'), 'exportto.')).toEqual([]);
  });

  it('reports namespaces that do not exist', () => {
    expect(findings(rule('[team-b]'), 'exportto.')).toEqual([
      'exportto.namespace-not-found DestinationRule default/r spec.exportTo[0] KIA0005',
    ]);
  });
});
