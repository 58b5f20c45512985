import { describe, expect, it } from 'vitest';
import { defaultFieldSelectorSupport, parseFieldSelector, parseLabelSelector } from './selectors';
import { StatusError } from './status-error';
import type { KubeObject } from './types';

const reviewsV1 = { app: 'reviews', version: 'v1', 'example.com/team': 'books' };
const reviewsV2 = { app: 'reviews', version: 'v2' };
const ratings = { app: 'ratings', tier: '3' };

function badRequestMessage(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(StatusError);
    const statusError = error as StatusError;
    expect(statusError.code).toBe(400);
    expect(statusError.reason).toBe('BadRequest');
    return statusError.message;
  }
  throw new Error('expected the selector to be rejected');
}

describe('parseLabelSelector', () => {
  it('matches everything when empty or blank', () => {
    expect(parseLabelSelector('')(undefined)).toBe(true);
    expect(parseLabelSelector('   ')(reviewsV1)).toBe(true);
  });

  it('supports equality with =, == and !=', () => {
    expect(parseLabelSelector('app=reviews')(reviewsV1)).toBe(true);
    expect(parseLabelSelector('app==reviews')(ratings)).toBe(false);
    expect(parseLabelSelector('version!=v1')(reviewsV1)).toBe(false);
    expect(parseLabelSelector('version!=v1')(reviewsV2)).toBe(true);
    // != also matches objects without the label
    expect(parseLabelSelector('version!=v1')(ratings)).toBe(true);
    expect(parseLabelSelector('version!=v1')(undefined)).toBe(true);
  });

  it('supports set membership with in and notin', () => {
    const inSet = parseLabelSelector('version in (v1, v3)');
    expect(inSet(reviewsV1)).toBe(true);
    expect(inSet(reviewsV2)).toBe(false);
    expect(inSet(ratings)).toBe(false);
    const notInSet = parseLabelSelector('version notin (v1,v3)');
    expect(notInSet(reviewsV1)).toBe(false);
    expect(notInSet(reviewsV2)).toBe(true);
    expect(notInSet(ratings)).toBe(true);
  });

  it('supports existence and non-existence', () => {
    expect(parseLabelSelector('version')(reviewsV2)).toBe(true);
    expect(parseLabelSelector('version')(ratings)).toBe(false);
    expect(parseLabelSelector('!version')(ratings)).toBe(true);
    expect(parseLabelSelector('!version')(reviewsV2)).toBe(false);
    expect(parseLabelSelector('!version')(undefined)).toBe(true);
  });

  it('ANDs comma-separated requirements and tolerates whitespace', () => {
    const selector = parseLabelSelector('  app = reviews ,  version in (v2) , !tier ');
    expect(selector(reviewsV2)).toBe(true);
    expect(selector(reviewsV1)).toBe(false);
    expect(selector({ ...reviewsV2, tier: 'x' })).toBe(false);
  });

  it('accepts prefixed keys and treats in/notin as plain words in values', () => {
    expect(parseLabelSelector('example.com/team=books')(reviewsV1)).toBe(true);
    expect(parseLabelSelector('example.com/team=books')(reviewsV2)).toBe(false);
    expect(parseLabelSelector('in=notin')({ in: 'notin' })).toBe(true);
  });

  it('matches the empty value for k= and k in ()', () => {
    expect(parseLabelSelector('app=')({ app: '' })).toBe(true);
    expect(parseLabelSelector('app=')(reviewsV1)).toBe(false);
    expect(parseLabelSelector('app in ()')({ app: '' })).toBe(true);
  });

  it('compares integers with > and <', () => {
    expect(parseLabelSelector('tier>2')(ratings)).toBe(true);
    expect(parseLabelSelector('tier<3')(ratings)).toBe(false);
    expect(parseLabelSelector('tier>2')(reviewsV1)).toBe(false);
  });

  it('rejects malformed selectors with the API server messages', () => {
    expect(badRequestMessage(() => parseLabelSelector('app in v1'))).toBe(
      "unable to parse requirement: found 'v1' expected: '('",
    );
    expect(badRequestMessage(() => parseLabelSelector('app in (v1'))).toBe(
      "unable to parse requirement: found '', expected: ',' or ')'",
    );
    expect(badRequestMessage(() => parseLabelSelector('app=reviews,'))).toBe(
      "found '', expected: identifier after ','",
    );
    expect(badRequestMessage(() => parseLabelSelector('app=reviews ratings'))).toBe(
      "found 'ratings', expected: ',' or 'end of string'",
    );
    expect(badRequestMessage(() => parseLabelSelector('app reviews'))).toBe(
      "unable to parse requirement: found 'reviews', expected: in, notin, =, ==, !=, gt, lt",
    );
    expect(badRequestMessage(() => parseLabelSelector('=reviews'))).toBe(
      "found '=', expected: !, identifier, or 'end of string'",
    );
    expect(badRequestMessage(() => parseLabelSelector('!app=reviews'))).toBe(
      "found '=', expected: ',' or 'end of string'",
    );
    expect(badRequestMessage(() => parseLabelSelector('app=(x)'))).toBe(
      "unable to parse requirement: found '(', expected: identifier",
    );
  });

  it('rejects invalid keys and values', () => {
    expect(badRequestMessage(() => parseLabelSelector('-app=reviews'))).toMatch(
      /^unable to parse requirement: <nil>: Invalid value: "-app": name part must consist of alphanumeric characters/,
    );
    expect(badRequestMessage(() => parseLabelSelector('Bad_Prefix/app=x'))).toContain(
      'prefix part a lowercase RFC 1123 subdomain',
    );
    expect(badRequestMessage(() => parseLabelSelector('app=-reviews'))).toMatch(
      /^unable to parse requirement: values\[0\]\[app\]: Invalid value: "-reviews": a valid label must be/,
    );
    expect(badRequestMessage(() => parseLabelSelector('tier>two'))).toContain('the value must be an integer');
  });
});

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'reviews-v1-abc', namespace: 'bookinfo' },
  spec: { nodeName: 'node-1', serviceAccountName: 'bookinfo-reviews' },
  status: { phase: 'Running', podIP: '10.0.0.7' },
};

const podFields = defaultFieldSelectorSupport('Pod');

describe('parseFieldSelector', () => {
  it('matches dotted fields with =, == and !=', () => {
    expect(parseFieldSelector('metadata.name=reviews-v1-abc', podFields)(pod)).toBe(true);
    expect(parseFieldSelector('metadata.name==ratings', podFields)(pod)).toBe(false);
    expect(parseFieldSelector('status.phase!=Running', podFields)(pod)).toBe(false);
    expect(parseFieldSelector('status.phase!=Pending', podFields)(pod)).toBe(true);
  });

  it('ANDs terms and treats absent fields as empty', () => {
    const selector = parseFieldSelector('metadata.namespace=bookinfo,spec.nodeName=node-1', podFields);
    expect(selector(pod)).toBe(true);
    expect(selector({ ...pod, spec: { nodeName: 'node-2' } })).toBe(false);
    expect(parseFieldSelector('spec.nodeName=', podFields)({ ...pod, spec: {} })).toBe(true);
    expect(parseFieldSelector('', podFields)(pod)).toBe(true);
  });

  it('unescapes values', () => {
    const event: KubeObject = { metadata: { name: 'e' }, reason: 'a,b=c' };
    expect(parseFieldSelector('reason=a\\,b\\=c', defaultFieldSelectorSupport('Event'))(event)).toBe(true);
  });

  it('rejects unsupported fields', () => {
    expect(
      badRequestMessage(() =>
        parseFieldSelector('spec.hosts=reviews', defaultFieldSelectorSupport('VirtualService')),
      ),
    ).toBe('field label not supported: spec.hosts');
    expect(
      badRequestMessage(() =>
        parseFieldSelector('status.phase=Running', defaultFieldSelectorSupport('Service')),
      ),
    ).toBe('field label not supported: status.phase');
  });

  it('rejects terms without an operator', () => {
    expect(badRequestMessage(() => parseFieldSelector('metadata.name', podFields))).toBe(
      "invalid selector: 'metadata.name'; can't understand 'metadata.name'",
    );
  });
});

describe('defaultFieldSelectorSupport', () => {
  it('allows metadata fields everywhere and kind-specific fields only on their kind', () => {
    const virtualService = defaultFieldSelectorSupport('VirtualService');
    expect(virtualService('metadata.name')).toBe(true);
    expect(virtualService('metadata.namespace')).toBe(true);
    expect(virtualService('status.phase')).toBe(false);
    expect(podFields('spec.serviceAccountName')).toBe(true);
    expect(podFields('status.podIP')).toBe(true);
    const events = defaultFieldSelectorSupport('Event');
    expect(
      ['uid', 'name', 'namespace', 'kind', 'fieldPath'].every((f) => events(`involvedObject.${f}`)),
    ).toBe(true);
    expect(events('reason') && events('type')).toBe(true);
    expect(defaultFieldSelectorSupport('Secret')('type')).toBe(true);
    expect(defaultFieldSelectorSupport('ConfigMap')('type')).toBe(false);
  });

  it('reads event fields from the object', () => {
    const event: KubeObject = {
      metadata: { name: 'reviews.17a', namespace: 'bookinfo' },
      involvedObject: { kind: 'Pod', name: 'reviews-v1-abc', uid: 'u-1' },
      type: 'Warning',
    };
    const selector = parseFieldSelector(
      'involvedObject.kind=Pod,involvedObject.name=reviews-v1-abc,involvedObject.uid=u-1,type=Warning',
      defaultFieldSelectorSupport('Event'),
    );
    expect(selector(event)).toBe(true);
    expect(selector({ ...event, type: 'Normal' })).toBe(false);
  });
});
