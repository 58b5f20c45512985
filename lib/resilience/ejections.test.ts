import { describe, expect, it } from 'vitest';
import { ejectedText, ejectionCount, maxEjectable } from './ejection-limits';
import {
  backoffCap,
  backoffNow,
  estimateEjection,
  type HostTrack,
  type OutlierTiming,
  observeHost,
  returnWindow,
  type TrackChange,
} from './ejections';

/** The chaos scenario's reviews policy: 5 s interval, 15 s base ejection, Envoy's 300 s cap. */
const timing: OutlierTiming = { intervalMs: 5_000, baseEjectionTimeMs: 15_000, maxEjectionTimeMs: 300_000 };
const t0 = Date.UTC(2026, 0, 1);
const s = (seconds: number) => t0 + seconds * 1000;

/** Feed polls `[seconds, ejected]` and collect the changes. */
function poll(
  polls: [number, boolean][],
  options: { neverEjected?: boolean; timing?: OutlierTiming } = {},
): { track: HostTrack; changes: TrackChange[] } {
  let track: HostTrack | undefined;
  const changes: TrackChange[] = [];
  polls.forEach(([second, ejected], index) => {
    const result = observeHost(track, {
      ejected,
      now: s(second),
      timing: 'timing' in options ? options.timing : timing,
      neverEjected: index === 0 ? options.neverEjected : undefined,
    });
    track = result.track;
    changes.push(result.change);
  });
  if (!track) throw new Error('no polls');
  return { track, changes };
}

describe('ejection bookkeeping', () => {
  it('knows the first ejection exactly when the cluster never ejected before', () => {
    const { track, changes } = poll(
      [
        [0, false],
        [5, false],
        [10, true],
      ],
      { neverEjected: true },
    );
    expect(changes).toEqual([undefined, undefined, 'ejected']);
    const estimate = estimateEjection(track, timing);
    expect(estimate).toMatchObject({ seenAt: s(10), after: s(5), count: 1, countAtLeast: 1 });
    // Ejected in (5 s, 10 s] for 15 s, back at the next 5 s check.
    expect(estimate?.returnEarliest).toBe(s(20));
    expect(estimate?.returnLatest).toBe(s(30));
  });

  it('doubles the expected time for a second ejection in a row, and lets the backoff run down', () => {
    const { track } = poll(
      [
        [0, false],
        [5, true],
        [10, true],
        [15, true],
        [20, true],
        [22, false],
        [24, true],
      ],
      { neverEjected: true },
    );
    // Back in (20 s, 22 s], ejected again in (22 s, 24 s]: no check in between could lower the backoff.
    expect(estimateEjection(track, timing)).toMatchObject({
      count: 2,
      returnEarliest: s(52),
      returnLatest: s(59),
    });
    let back = track;
    for (const second of [29, 34, 39, 44, 49, 54])
      back = observeHost(back, { ejected: true, now: s(second), timing }).track;
    back = observeHost(back, { ejected: false, now: s(57), timing }).track;
    expect(backoffNow(back, s(57), timing)).toEqual({ min: 2, max: 2 });
    // One decrement per 5 s check in service after the first: by 69 s at least two have passed.
    expect(backoffNow(back, s(69), timing)).toEqual({ min: 0, max: 0 });
  });

  it('is unsure of the count when a check may have passed between a return and a new ejection', () => {
    const { track } = poll(
      [
        [0, false],
        [5, true],
        [10, true],
        [15, true],
        [20, false],
        [26, true],
      ],
      { neverEjected: true },
    );
    expect(estimateEjection(track, timing)).toMatchObject({ count: null, countAtLeast: 1 });
  });

  it('counts a return and re-ejection that happened between two polls', () => {
    const { track, changes } = poll(
      [
        [0, false],
        [5, true],
        [20, true],
        [26, true],
      ],
      { neverEjected: true },
    );
    // Latest return of the first ejection is 5 + 15 + 5 = 25 s: still ejected at 26 s means ejected again.
    expect(changes).toEqual([undefined, 'ejected', undefined, 're-ejected']);
    expect(track.period).toEqual({ start: s(5), startAfter: s(0), ejections: 2 });
    const estimate = estimateEjection(track, timing);
    // Back in [20 s, 25 s], ejected again by 26 s: one check in service may have lowered the backoff.
    expect(estimate).toMatchObject({ seenAt: s(5), after: s(0), count: null, countAtLeast: 1 });
    expect(estimate?.returnLatest).toBe(s(26 + 30 + 5));
  });

  it('gives bounds, not a count, when polling began with no knowledge of earlier ejections', () => {
    const { track } = poll([
      [0, false],
      [5, false],
      [10, true],
    ]);
    const estimate = estimateEjection(track, timing);
    expect(estimate?.count).toBeNull();
    expect(estimate?.countAtLeast).toBe(1);
    expect(estimate?.returnEarliest).toBe(s(20));
    // The backoff may be as high as Envoy lets it grow: the return is at most 300 s (+ one check) away.
    expect(estimate?.returnLatest).toBe(s(10 + 300 + 5));
    expect(estimate?.note).toMatch(/not known/);
  });

  it('learns the backoff from long enough in service', () => {
    const cap = backoffCap(timing);
    expect(cap).toBe(21);
    const polls: [number, boolean][] = [];
    for (let second = 0; second <= (cap + 1) * 5; second += 5) polls.push([second, false]);
    const { track } = poll([...polls, [(cap + 2) * 5, true]]);
    expect(estimateEjection(track, timing)?.count).toBe(1);
  });

  it('says little of a host already ejected at the first poll', () => {
    const { track, changes } = poll([[0, true]]);
    expect(changes).toEqual(['ejected']);
    expect(estimateEjection(track, timing)).toMatchObject({
      seenAt: s(0),
      after: null,
      count: null,
      returnEarliest: null,
      returnLatest: s(305),
    });
  });

  it('forgets the backoff after a gap in polling longer than one ejection', () => {
    const { track } = poll(
      [
        [0, false],
        [60, true],
      ],
      { neverEjected: true },
    );
    expect(estimateEjection(track, timing)).toMatchObject({ after: s(0), count: null, countAtLeast: 1 });
  });

  it('records the return and keeps the host in service', () => {
    const { track, changes } = poll(
      [
        [0, false],
        [5, true],
        [15, true],
        [25, false],
        [30, false],
      ],
      { neverEjected: true },
    );
    expect(changes).toEqual([undefined, 'ejected', undefined, 'returned', undefined]);
    expect(track.ejected).toBe(false);
    expect(estimateEjection(track, timing)).toBeUndefined();
    expect(returnWindow(track, timing)).toEqual({ earliest: null, latest: null });
  });

  it('cannot time an ejection without outlier detection', () => {
    const { track } = poll(
      [
        [0, false],
        [5, true],
      ],
      { timing: undefined },
    );
    expect(estimateEjection(track, undefined)).toMatchObject({ returnEarliest: null, returnLatest: null });
  });
});

describe('ejection limits', () => {
  it('follows Envoy: within maxEjectionPercent, and always one', () => {
    expect(maxEjectable(3, 100)).toBe(3);
    expect(maxEjectable(3, 50)).toBe(1);
    expect(maxEjectable(4, 50)).toBe(2);
    expect(maxEjectable(2, 10)).toBe(1);
    expect(maxEjectable(0, 50)).toBe(0);
  });

  it('counts against the limit', () => {
    expect(ejectionCount(1, 2, 50)).toEqual({ ejected: 1, total: 2, maxEjectable: 1, atLimit: true });
    expect(ejectionCount(1, 3, 100)).toMatchObject({ maxEjectable: 3, atLimit: false });
    expect(ejectionCount(1, 3, null)).toMatchObject({ maxEjectable: null, atLimit: false });
  });

  it('says it in words', () => {
    expect(ejectedText(1, 3)).toBe('1 of 3 pods ejected');
    expect(ejectedText(0, 3)).toBe('all 3 pods are in service');
    expect(ejectedText(0, 1)).toBe('the pod is in service');
  });
});
