import { describe, expect, it } from 'vitest';
import { yamlContextAt } from './yaml-context';

/** The context where `|` stands in the text (the bar removed). */
function at(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  return yamlContextAt(textWithCursor.replace('|', ''), offset);
}

const vs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
  - reviews
  http:
  - route:
    - destination:
        host: reviews
        `;

describe('yamlContextAt', () => {
  it('reads a key typed at the top level', () => {
    expect(at('apiVersion: v1\nsp|')).toMatchObject({ path: [], position: 'key', prefix: 'sp', indent: 0 });
  });

  it('follows mappings and compact sequences down to a destination', () => {
    const context = at(`${vs}su|`);
    expect(context).toMatchObject({
      path: ['spec', 'http', 0, 'route', 0, 'destination'],
      position: 'key',
      prefix: 'su',
      indent: 8,
    });
    expect(context.siblings).toEqual(['host']);
  });

  it('reads a value being typed, with its key', () => {
    expect(at(`${vs}subset: v|`)).toMatchObject({
      path: ['spec', 'http', 0, 'route', 0, 'destination'],
      position: 'value',
      key: 'subset',
      prefix: 'v',
    });
  });

  it('knows a key written right after a sequence marker belongs to the item', () => {
    expect(at('spec:\n  http:\n  - ro|')).toMatchObject({
      path: ['spec', 'http', 0],
      prefix: 'ro',
      indent: 4,
    });
  });

  it('knows a sibling key of a sequence item', () => {
    const context = at('spec:\n  http:\n  - route: []\n    ti|');
    expect(context).toMatchObject({ path: ['spec', 'http', 0], prefix: 'ti', indent: 4 });
    expect(context.siblings).toEqual(['route']);
  });

  it('skips earlier items of the same sequence and indented sequences', () => {
    const text = 'spec:\n  servers:\n    - port:\n        number: 80\n    - hosts:\n        - a\n      po|';
    expect(at(text)).toMatchObject({ path: ['spec', 'servers', 0], prefix: 'po', indent: 6 });
  });

  it('ignores blank lines and comments', () => {
    expect(at('spec:\n  # the hosts\n\n  ho|')).toMatchObject({ path: ['spec'], prefix: 'ho' });
  });
});
