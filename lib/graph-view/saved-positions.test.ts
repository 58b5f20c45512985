import { describe, expect, it } from 'vitest';
import { parsePositions, positionsKey, restoredOrLaidOut, serializePositions } from './saved-positions';

describe('saved positions', () => {
  it('names a view by graph type and namespaces in any order', () => {
    expect(positionsKey('app', ['b', 'a'])).toBe(positionsKey('app', ['a', 'b']));
    expect(positionsKey('app', ['a'])).not.toBe(positionsKey('service', ['a']));
  });

  it('reads back what it wrote, rounded', () => {
    const text = serializePositions(
      new Map([
        ['a', { x: 10.4, y: -3.6 }],
        ['b', { x: 0, y: 150 }],
      ]),
    );
    expect([...parsePositions(text)]).toEqual([
      ['a', { x: 10, y: -4 }],
      ['b', { x: 0, y: 150 }],
    ]);
  });

  it('refuses what it did not write', () => {
    expect(parsePositions(null).size).toBe(0);
    expect(parsePositions('not json').size).toBe(0);
    expect(parsePositions('[1,2]').size).toBe(0);
    expect([...parsePositions('{"a":[1,2],"b":["x",2],"c":[1],"d":null}')]).toEqual([['a', { x: 1, y: 2 }]]);
  });

  it('restores only a complete picture, else lays the graph out', () => {
    const saved = new Map([['a', { x: 5, y: 5 }]]);
    const layout = () =>
      new Map([
        ['a', { x: 0, y: 0 }],
        ['b', { x: 150, y: 0 }],
      ]);
    expect(restoredOrLaidOut(saved, ['a'], layout)).toEqual({
      positions: new Map([['a', { x: 5, y: 5 }]]),
      restored: true,
    });
    expect(restoredOrLaidOut(saved, ['a', 'b'], layout).restored).toBe(false);
    expect(restoredOrLaidOut(saved, ['a', 'b'], layout).positions.get('b')).toEqual({ x: 150, y: 0 });
  });
});
