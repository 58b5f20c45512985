import { describe, expect, it } from 'vitest';
import { buildWhatIfRequest, EMPTY_WHAT_IF, parseSecurityPageState, securityPageSearch } from './page-params';

describe('the security page URL', () => {
  it('round-trips a bookmarked what-if question', () => {
    const state = {
      ...EMPTY_WHAT_IF,
      namespaces: ['default', 'legacy'],
      tab: 'whatif' as const,
      workload: 'default/ratings-v1',
      srcNs: 'legacy',
      srcWorkload: 'legacy-client-v1',
      dstNs: 'default',
      dstWorkload: 'ratings-v1',
      path: '/ratings/1',
      port: '9080',
      headers: 'x-env: canary',
    };
    const search = securityPageSearch(state);
    expect(search).toContain('tab=whatif');
    expect(search).not.toContain('method=');
    expect(parseSecurityPageState(new URLSearchParams(search))).toEqual(state);
  });

  it('falls back to defaults for values it cannot read', () => {
    const state = parseSecurityPageState(
      new URLSearchParams('tab=nope&namespaces=Bad_NS&method=BREW&port=http&workload=../x'),
    );
    expect(state).toMatchObject({
      tab: 'mtls',
      namespaces: [],
      method: 'GET',
      port: '',
      workload: '',
      path: '/',
    });
    expect(securityPageSearch(state)).toBe('');
  });
});

describe('the what-if request', () => {
  it('builds the check of the form, headers lower-cased', () => {
    expect(
      buildWhatIfRequest({
        ...EMPTY_WHAT_IF,
        srcNs: 'legacy',
        srcWorkload: 'legacy-client-v1',
        srcIp: ' 10.0.0.9 ',
        dstNs: 'default',
        dstWorkload: 'ratings-v1',
        method: 'POST',
        path: '/ratings/1',
        port: '9080',
        headers: 'X-Env: canary\n\n',
      }),
    ).toEqual({
      ok: true,
      request: {
        source: { namespace: 'legacy', workload: 'legacy-client-v1', ip: '10.0.0.9' },
        destination: { namespace: 'default', workload: 'ratings-v1' },
        request: { method: 'POST', path: '/ratings/1', port: 9080, headers: { 'x-env': 'canary' } },
      },
    });
  });

  it('says what is missing or wrong', () => {
    const result = buildWhatIfRequest({
      ...EMPTY_WHAT_IF,
      path: 'ratings',
      port: '70000',
      headers: 'nocolon',
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        'Choose the source namespace.',
        'Choose the destination workload.',
        'The path must start with "/".',
        'The port must be between 1 and 65535.',
        'Header line 1 must read "name: value".',
      ],
    });
  });
});
