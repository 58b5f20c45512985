import { describe, expect, it } from 'vitest';
import { buildGraph } from './build-graph';
import { applyFindHide, findHideVocabulary, nodeRanks, parseFindHide } from './find-hide';
import { loadFixture } from './fixtures/load';

function graph(name: 'bookinfo' | 'chaos' = 'bookinfo', graphType: 'workload' | 'versionedApp' = 'workload') {
  const fixture = loadFixture(name);
  return buildGraph({ ...fixture, graphType, idle: true });
}

const bookinfo = graph();
const chaos = graph('chaos');

/** Ids `find` matches in the graph (nodes and edges). */
function found(expression: string, target = bookinfo): string[] {
  const result = applyFindHide(target, expression, '');
  expect(result.errors).toEqual({});
  return [...result.found].sort();
}

describe('parseFindHide: node criteria', () => {
  it('compares node attributes, case-insensitively', () => {
    expect(found('name = reviews-v1')).toEqual(['wl:default:reviews-v1']);
    expect(found('app = REVIEWS AND node = workload')).toEqual([
      'wl:default:reviews-v1',
      'wl:default:reviews-v2',
      'wl:default:reviews-v3',
    ]);
    expect(found('workload ^= reviews AND version != v1')).toEqual([
      'wl:default:reviews-v2',
      'wl:default:reviews-v3',
    ]);
    expect(found('svc = reviews')).toEqual(['svc:default:reviews']);
    expect(found('ns = istio-system')).toEqual(['wl:istio-system:istio-ingressgateway']);
    expect(found('name $= -v3')).toEqual(['wl:default:reviews-v3']);
    expect(found('name *= view AND node = svc')).toEqual(['svc:default:reviews']);
    expect(found('name !*= i')).toEqual(['svc:default:productpage', 'wl:default:productpage-v1']);
  });

  it('compares node rates and ranks', () => {
    expect(found('httpin >= 10 AND node = workload')).toEqual([
      'wl:default:details-v1',
      'wl:default:productpage-v1',
    ]);
    expect(found('httpout > 15')).toEqual(['wl:default:productpage-v1']);
    expect(found('rank = 1')).toEqual(['svc:default:reviews', 'wl:default:productpage-v1']);
  });

  it('knows the node unaries and their aliases', () => {
    expect(found('trafficsource')).toEqual(['wl:istio-system:istio-ingressgateway']);
    expect(found('root')).toEqual(found('trafficsource'));
    expect(found('idle')).toEqual(['wl:default:reviews-v2']);
    expect(found('ts')).toEqual(['svc:default:reviews']);
    expect(found('vs AND name = details')).toEqual(['svc:default:details']);
    expect(found('gateway')).toEqual(['wl:istio-system:istio-ingressgateway']);
    expect(found('! healthy')).toEqual(['wl:default:reviews-v2']);
    expect(found('not healthy')).toEqual(found('!healthy'));
    expect(found('cb', chaos)).toEqual(
      expect.arrayContaining(['svc:default:reviews', 'wl:default:reviews-v1', 'wl:default:reviews-v3']),
    );
    expect(found('outofmesh', chaos)).toEqual(
      expect.arrayContaining(['unknown', 'svc:default:mongodb', 'wl:default:mongodb-v1']),
    );
    expect(found('om', chaos)).toEqual(found('outside', chaos));
  });
});

describe('parseFindHide: edge criteria', () => {
  it('compares edge rates, shares, errors, response time and mTLS', () => {
    expect(found('http > 9')).toEqual([
      'svc:default:details->wl:default:details-v1:http',
      'svc:default:productpage->wl:default:productpage-v1:http',
      'wl:default:productpage-v1->svc:default:details:http',
      'wl:default:productpage-v1->svc:default:reviews:http',
      'wl:istio-system:istio-ingressgateway->svc:default:productpage:http',
    ]);
    expect(
      found('%httptraffic < 60 AND %httptraffic > 0 AND name = reviews-v1 OR http > 0 AND %httptraffic < 60'),
    ).toEqual(
      expect.arrayContaining([
        'svc:default:reviews->wl:default:reviews-v1:http',
        'svc:default:reviews->wl:default:reviews-v3:http',
      ]),
    );
    expect(found('rt > 60')).toEqual([
      'svc:default:productpage->wl:default:productpage-v1:http',
      'wl:istio-system:istio-ingressgateway->svc:default:productpage:http',
    ]);
    expect(found('responsetime > 60')).toEqual(found('rt > 60'));
    expect(found('%httperr > 0', chaos)).toEqual([
      'svc:default:reviews->wl:default:reviews-v3:http',
      'wl:default:productpage-v1->svc:default:reviews:http',
    ]);
    expect(found('mtls < 100 AND traffic', chaos)).toEqual(
      expect.arrayContaining([
        'unknown->svc:default:details:http',
        'svc:default:details->wl:default:details-v1:http',
      ]),
    );
    expect(found('protocol = tcp', chaos)).toEqual([
      'svc:default:mongodb->wl:default:mongodb-v1:tcp',
      'wl:default:ratings-v1->svc:default:mongodb:tcp',
    ]);
    expect(found('tcp > 1000', chaos)).toEqual(found('protocol = tcp', chaos));
    expect(found('throughput > 50000')).toEqual([
      'svc:default:productpage->wl:default:productpage-v1:http',
      'wl:istio-system:istio-ingressgateway->svc:default:productpage:http',
    ]);
    expect(found('sourceprincipal *= bookinfo-reviews')).toEqual([
      'svc:default:ratings->wl:default:ratings-v1:http',
      'wl:default:reviews-v3->svc:default:ratings:http',
    ]);
  });

  it('knows the edge unaries', () => {
    expect(found('! traffic')).toEqual(['svc:default:reviews->wl:default:reviews-v2:http']);
    expect(found('!mtls')).toEqual(found('!traffic'));
  });

  it('lets OR bind tighter than AND, and mix node and edge criteria under OR', () => {
    // node = workload AND (name = reviews-v1 OR name = ratings-v1)
    expect(found('node = workload AND name = reviews-v1 OR name = ratings-v1')).toEqual([
      'wl:default:ratings-v1',
      'wl:default:reviews-v1',
    ]);
    expect(found('idle OR ! traffic')).toEqual([
      'svc:default:reviews->wl:default:reviews-v2:http',
      'wl:default:reviews-v2',
    ]);
    expect(found('idle || !traffic && protocol = http')).toEqual([
      'svc:default:reviews->wl:default:reviews-v2:http',
    ]);
  });
});

describe('parseFindHide: errors', () => {
  it.each([
    ['', 'empty expression at 0', 0],
    ['foo = 3', "unknown attribute 'foo' at 0", 0],
    ['rt foo', "'rt' needs an operator and a value (e.g. rt = ...) at 3", 3],
    ['healthy and frob', "unknown attribute 'frob' at 12", 12],
    ['name =', "expected a value after '=' at 6", 6],
    ['rt > fast', "'responsetime' needs a number, not 'fast' at 5", 5],
    ['rt ^= 5', "'responsetime' compares numbers: '^=' does not apply at 3", 3],
    ['name > 3', "'name' is text: use = != ^= $= *= !^= !$= !*=, not '>' at 5", 5],
    ['node = pod', "unknown node 'pod' (one of app, service, workload, serviceentry, unknown, box) at 7", 7],
    ['healthy idle', "expected AND or OR before 'idle' at 8", 8],
    ['healthy AND', "expected an expression after 'AND' at 11", 11],
    ['healthy OR', "expected an expression after 'OR' at 10", 10],
    ['= 3', "expected an attribute or a unary such as healthy, found '=' at 0", 0],
    ['name = "reviews', 'unterminated quote " at 7', 7],
    ['healthy & idle', "unexpected '&' (use AND or OR) at 8", 8],
    ['healthy AND rt > 100', 'cannot AND node criteria with edge criteria (use OR, or two searches) at 8', 8],
  ])('%j -> %s', (expression, error, position) => {
    expect(parseFindHide(expression)).toEqual({ ok: false, error, position });
  });

  it('reports errors from applyFindHide without matching anything', () => {
    const result = applyFindHide(bookinfo, 'frob', 'name = reviews-v1');
    expect(result.errors.find).toEqual({ error: "unknown attribute 'frob' at 0", position: 0 });
    expect(result.found.size).toBe(0);
    expect(result.hidden.has('wl:default:reviews-v1')).toBe(true);
  });

  it('accepts quoted values', () => {
    expect(found('name = "reviews-v1"')).toEqual(['wl:default:reviews-v1']);
  });
});

describe('applyFindHide', () => {
  it('hides matching nodes with their edges, and hide wins over find', () => {
    const result = applyFindHide(bookinfo, 'app = reviews', 'name = reviews-v3');
    expect([...result.hidden].sort()).toEqual([
      'svc:default:reviews->wl:default:reviews-v3:http',
      'wl:default:reviews-v3',
      'wl:default:reviews-v3->svc:default:ratings:http',
    ]);
    expect(result.found.has('wl:default:reviews-v1')).toBe(true);
    expect(result.found.has('wl:default:reviews-v3')).toBe(false);
  });

  it('hides edges by their own criteria, and a box with its members', () => {
    expect([...applyFindHide(bookinfo, '', '!traffic').hidden]).toEqual([
      'svc:default:reviews->wl:default:reviews-v2:http',
    ]);
    const boxed = graph('bookinfo', 'versionedApp');
    const hidden = applyFindHide(boxed, '', 'box AND app = reviews').hidden;
    expect(hidden).toContain('vapp:default:reviews:v1');
    expect(hidden).toContain('svc:default:reviews');
    expect(hidden).toContain('vapp:default:productpage:v1->svc:default:reviews:http');
    const emptied = applyFindHide(boxed, '', 'app = ratings').hidden;
    expect(emptied).toContain('box:default:ratings');
  });

  it('does nothing for blank expressions', () => {
    expect(applyFindHide(bookinfo, '  ', '')).toEqual({ found: new Set(), hidden: new Set(), errors: {} });
  });
});

describe('nodeRanks and vocabulary', () => {
  it('ranks by edges with traffic, most connected first', () => {
    const ranks = nodeRanks(bookinfo);
    expect(ranks.get('wl:default:productpage-v1')).toBe(1);
    expect(ranks.get('wl:default:reviews-v2')).toBe(Math.max(...ranks.values()));
  });

  it('lists the words for autocompletion', () => {
    expect(findHideVocabulary.nodeUnaries).toEqual(
      expect.arrayContaining(['healthy', 'vs', 'trafficsource']),
    );
    expect(findHideVocabulary.edgeAttributes).toEqual(expect.arrayContaining(['rt', '%httperr', 'mtls']));
  });
});
