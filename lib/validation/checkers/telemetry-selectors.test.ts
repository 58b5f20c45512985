import { describe, expect, it } from 'vitest';
import { findings, pod } from '../test-support';

const telemetry = (name: string, namespace: string, selector?: string) => `
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: ${name}, namespace: ${namespace}}
spec: {${selector ? `selector: {matchLabels: ${selector}}, ` : ''}metrics: [{providers: [{name: prometheus}]}]}
---`;

const pods = `${pod('reviews', 'default', { app: 'reviews' })}${pod('ratings', 'default', { app: 'ratings', tier: 'data' })}`;

describe('telemetry-selectors', () => {
  it('accepts one namespace-wide Telemetry and disjoint selectors', () => {
    expect(
      findings(
        pods +
          telemetry('default', 'default') +
          telemetry('a', 'default', '{app: reviews}') +
          telemetry('b', 'default', '{app: ratings}'),
        'telemetry.',
      ),
    ).toEqual([]);
  });

  it('reports selectors without pods, pods selected twice and two namespace-wide Telemetries', () => {
    const manifests =
      pods +
      telemetry('bogus', 'default', '{app: bogus}') +
      telemetry('by-app', 'default', '{app: ratings}') +
      telemetry('by-tier', 'default', '{tier: data}') +
      telemetry('one', 'ns2') +
      telemetry('two', 'ns2');
    expect(findings(manifests, 'telemetry.')).toEqual([
      'telemetry.namespace-default.conflict Telemetry ns2/one metadata.name IST0160',
      'telemetry.namespace-default.conflict Telemetry ns2/two metadata.name IST0160',
      'telemetry.selector.conflict Telemetry default/by-app spec.selector.matchLabels IST0159',
      'telemetry.selector.conflict Telemetry default/by-tier spec.selector.matchLabels IST0159',
      'telemetry.selector.no-workload Telemetry default/bogus spec.selector.matchLabels IST0101',
    ]);
  });
});
