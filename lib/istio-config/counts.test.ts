import { describe, expect, it } from 'vitest';
import type { Finding } from '../types/validation';
import { atLeast, countFindings, countsByObject, worstSeverity } from './counts';

function finding(kind: string, namespace: string, name: string, severity: Finding['severity']): Finding {
  return { code: 'x', severity, object: { kind, namespace, name }, path: 'spec', message: 'm' };
}

const findings = [
  finding('VirtualService', 'shop', 'cart', 'error'),
  finding('VirtualService', 'shop', 'cart', 'warning'),
  finding('Namespace', '', 'books', 'info'),
  finding('Pod', 'books', 'ratings-1', 'warning'),
];

describe('counts', () => {
  it('totals by severity and namespace, a Namespace counting for itself', () => {
    expect(countFindings(findings)).toEqual({
      total: 4,
      bySeverity: { error: 1, warning: 2, info: 1 },
      byNamespace: [
        { namespace: 'books', error: 0, warning: 1, info: 1 },
        { namespace: 'shop', error: 1, warning: 1, info: 0 },
      ],
    });
  });

  it('counts per object and ranks severities', () => {
    const counts = countsByObject(findings).get('VirtualService/shop/cart');
    expect(counts).toEqual({ error: 1, warning: 1, info: 0 });
    expect(counts && worstSeverity(counts)).toBe('error');
    expect(worstSeverity({ error: 0, warning: 0, info: 0 })).toBeUndefined();
    expect(atLeast('error', 'warning')).toBe(true);
    expect(atLeast('info', 'warning')).toBe(false);
  });
});
