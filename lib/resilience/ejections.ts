/**
 * Ejection bookkeeping from successive polls of one caller's `/clusters`, for one upstream host.
 *
 * `/clusters` says only whether a host is ejected now. Envoy's rules (outlier_detection_impl.cc)
 * fill in the rest, as bounds:
 * - an ejection lasts min(baseEjectionTime × backoff, maxEjectionTime), where the backoff grows by
 *   one at each ejection (while backoff × base < max + base) and drops by one at each interval
 *   check the host passes in service, starting one interval after it came back;
 * - the host comes back at the first interval check after its time is up.
 * A poll sees an ejection that began since the poll before, so its start lies between two polls;
 * the backoff is known exactly only when polling began from a known state (the cluster's
 * `ejections_enforced_total` still 0, or long enough in service for any backoff to have run
 * out), and is carried as a [min, max] pair otherwise. An ejection still seen after its latest
 * possible return was followed by a return and a new ejection between two polls: counted as such.
 */

/** The outlier-detection timing of the caller's cluster, in milliseconds. */
export interface OutlierTiming {
  intervalMs: number;
  baseEjectionTimeMs: number;
  maxEjectionTimeMs: number;
}

export interface Bounds {
  min: number;
  max: number;
}

export interface HostTrack {
  ejected: boolean;
  /** the last poll that saw the host */
  polledAt: number;
  /** Envoy's backoff just after the last ejection (while ejected) or at the last return */
  backoff: Bounds;
  /** the last ejection or return happened in (after, at]; after null: any time before `at` */
  transition: { after: number | null; at: number };
  /** while ejected: the ejection period as polls saw it (several ejections when re-ejected unseen) */
  period: { start: number; startAfter: number | null; ejections: number } | undefined;
}

export type TrackChange = 'ejected' | 're-ejected' | 'returned' | undefined;

export interface Observation {
  ejected: boolean;
  now: number;
  /** undefined when the caller's cluster has no outlier detection we know of */
  timing: OutlierTiming | undefined;
  /** the cluster's ejections_enforced_total is 0: no host of it was ever ejected */
  neverEjected?: boolean;
}

/** The largest backoff Envoy reaches: it stops growing once backoff × base ≥ max + base. */
export function backoffCap(timing: OutlierTiming | undefined): number {
  if (!timing || timing.baseEjectionTimeMs <= 0) return Number.POSITIVE_INFINITY;
  return Math.ceil((timing.maxEjectionTimeMs + timing.baseEjectionTimeMs) / timing.baseEjectionTimeMs);
}

function grow(value: number, timing: OutlierTiming | undefined): number {
  if (!timing) return value + 1;
  return value * timing.baseEjectionTimeMs < timing.maxEjectionTimeMs + timing.baseEjectionTimeMs
    ? value + 1
    : value;
}

/** Interval checks passed in service between a return in (after, at] and `now`, as bounds. */
function decrements(track: HostTrack, now: number, timing: OutlierTiming | undefined): Bounds {
  if (!timing || timing.intervalMs <= 0) return { min: 0, max: Number.POSITIVE_INFINITY };
  const { after, at } = track.transition;
  const least = Math.max(0, Math.floor((now - at) / timing.intervalMs));
  const most =
    after === null ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor((now - after) / timing.intervalMs));
  return { min: least, max: most };
}

/** The backoff now of a host in service: its backoff at the return, less the checks passed since. */
export function backoffNow(track: HostTrack, now: number, timing: OutlierTiming | undefined): Bounds {
  if (track.ejected) return track.backoff;
  const passed = decrements(track, now, timing);
  return {
    min: Math.max(0, track.backoff.min - passed.max),
    max: Math.max(0, track.backoff.max - passed.min),
  };
}

function unknownBackoff(timing: OutlierTiming | undefined, ejected: boolean): Bounds {
  return { min: ejected ? 1 : 0, max: backoffCap(timing) };
}

function first(observation: Observation): HostTrack {
  const { ejected, now, timing } = observation;
  return {
    ejected,
    polledAt: now,
    backoff: observation.neverEjected && !ejected ? { min: 0, max: 0 } : unknownBackoff(timing, ejected),
    transition: { after: null, at: now },
    period: ejected ? { start: now, startAfter: null, ejections: 1 } : undefined,
  };
}

/** The window in which an ejected host returns: not before / not after; null where unbounded. */
export function returnWindow(
  track: HostTrack,
  timing: OutlierTiming | undefined,
): { earliest: number | null; latest: number | null } {
  if (!track.ejected || !timing) return { earliest: null, latest: null };
  const duration = (backoff: number) =>
    Math.min(timing.baseEjectionTimeMs * backoff, timing.maxEjectionTimeMs);
  const { after, at } = track.transition;
  const longest = Number.isFinite(track.backoff.max) ? duration(track.backoff.max) : timing.maxEjectionTimeMs;
  return {
    earliest: after === null ? null : after + duration(track.backoff.min),
    latest: at + longest + timing.intervalMs,
  };
}

/** The next state of a host's track after one poll, and what changed. */
export function observeHost(
  previous: HostTrack | undefined,
  observation: Observation,
): { track: HostTrack; change: TrackChange } {
  if (!previous) return { track: first(observation), change: observation.ejected ? 'ejected' : undefined };
  const next = transition(previous, observation);
  // A gap longer than the shortest ejection may hide whole ejections: the backoff may be higher.
  const { timing, now } = observation;
  if (timing && now - previous.polledAt > timing.baseEjectionTimeMs)
    next.track.backoff = { ...next.track.backoff, max: backoffCap(timing) };
  return next;
}

function transition(
  previous: HostTrack,
  observation: Observation,
): { track: HostTrack; change: TrackChange } {
  const { ejected, now, timing } = observation;
  if (!previous.ejected && !ejected) {
    const track = { ...previous, polledAt: now };
    if (observation.neverEjected) {
      track.backoff = { min: 0, max: 0 };
      track.transition = { after: now, at: now };
    }
    return { track, change: undefined };
  }
  if (!previous.ejected && ejected) {
    // Ejected in (previous poll, now]: the backoff then, grown by one.
    const atPoll = backoffNow(previous, previous.polledAt, timing);
    const atNow = backoffNow(previous, now, timing);
    return {
      track: {
        ejected: true,
        polledAt: now,
        backoff: { min: grow(atNow.min, timing), max: grow(atPoll.max, timing) },
        transition: { after: previous.polledAt, at: now },
        period: { start: now, startAfter: previous.polledAt, ejections: 1 },
      },
      change: 'ejected',
    };
  }
  if (previous.ejected && !ejected) {
    return {
      track: {
        ejected: false,
        polledAt: now,
        backoff: previous.backoff,
        transition: { after: previous.polledAt, at: now },
        period: undefined,
      },
      change: 'returned',
    };
  }
  // Still ejected. Past its latest return it came back and was ejected again between the polls.
  const window = returnWindow(previous, timing);
  if (window.latest !== null && now > window.latest && timing) {
    const back = window.earliest ?? window.latest;
    const passed = Math.max(0, Math.floor((now - back) / timing.intervalMs));
    return {
      track: {
        ejected: true,
        polledAt: now,
        backoff: {
          min: grow(Math.max(0, previous.backoff.min - passed), timing),
          max: grow(previous.backoff.max, timing),
        },
        transition: { after: back, at: now },
        period: previous.period && { ...previous.period, ejections: previous.period.ejections + 1 },
      },
      change: 're-ejected',
    };
  }
  return { track: { ...previous, polledAt: now }, change: undefined };
}

export interface EjectionEstimate {
  seenAt: number;
  after: number | null;
  /** Envoy's backoff (consecutive ejections), when exactly known */
  count: number | null;
  countAtLeast: number;
  returnEarliest: number | null;
  returnLatest: number | null;
  note: string;
}

/** What can be said of a host's current ejection; undefined when it is in service. */
export function estimateEjection(
  track: HostTrack,
  timing: OutlierTiming | undefined,
): EjectionEstimate | undefined {
  if (!track.ejected) return undefined;
  const window = returnWindow(track, timing);
  const exact = track.backoff.min === track.backoff.max;
  const notes: string[] = [];
  if (!timing) notes.push('No outlier detection is configured for this caller: the return time is unknown.');
  else {
    if (track.transition.after === null)
      notes.push('Already ejected when polling began: the ejection started before.');
    else notes.push('The ejection started between two polls.');
    if (!exact)
      notes.push(
        'How many times in a row it was ejected is not known (polling began after earlier ejections could have happened), so the return time is a range.',
      );
  }
  return {
    seenAt: track.period?.start ?? track.transition.at,
    after: track.period?.startAfter ?? track.transition.after,
    count: exact ? track.backoff.min : null,
    countAtLeast: track.backoff.min,
    returnEarliest: window.earliest,
    returnLatest: window.latest,
    note: notes.join(' '),
  };
}
