/**
 * The editor's draft: the split as read, what the user has changed (weights, locks, subsets and
 * header rules to add), and the change request it amounts to. Pure, so that the browser's state
 * and its rebasing onto a newer version of the object are tested here.
 */
import type {
  DestinationProblem,
  DestinationRef,
  HeaderRouteAddition,
  RouteProtocol,
  RouteWeights,
  SubsetAddition,
  SubsetOffer,
  TrafficSplit,
  TrafficSplitChange,
} from '../types/traffic-split';
import { destinationKey, destinationLabel, routeKey, routeLabel, sameDestination } from './routes';
import {
  applyAllTo,
  applyEvenSplit,
  moveWeight,
  resetWeights,
  toggleLock,
  type WeightState,
  weightState,
} from './weights';

export interface DraftDestination extends DestinationRef {
  /** in the route now (false: a subset the route does not send to yet) */
  inRoute: boolean;
  /** the subset is added by this change */
  newSubset?: boolean;
  problem?: DestinationProblem;
}

export interface DraftRoute {
  protocol: RouteProtocol;
  index: number;
  name?: string;
  match: string[];
  destinations: DraftDestination[];
  /** the weights as read (0 for destinations not in the route) */
  applied: number[];
  state: WeightState;
}

export interface Draft {
  /** the split the draft started from */
  base: TrafficSplit;
  routes: DraftRoute[];
  subsets: SubsetAddition[];
  headerRoutes: HeaderRouteAddition[];
}

export function draftFrom(split: TrafficSplit): Draft {
  return {
    base: split,
    routes: split.routes.map((route) => {
      const destinations: DraftDestination[] = [
        ...route.destinations.map(({ weight: _w, explicit: _e, ...rest }) => ({ ...rest, inRoute: true })),
        ...route.candidates.map(({ weight: _w, explicit: _e, ...rest }) => ({ ...rest, inRoute: false })),
      ];
      const applied = [...route.destinations.map((d) => d.weight), ...route.candidates.map(() => 0)];
      return {
        protocol: route.protocol,
        index: route.index,
        ...(route.name !== undefined ? { name: route.name } : {}),
        match: route.match,
        destinations,
        applied,
        state: weightState(applied),
      };
    }),
    subsets: [],
    headerRoutes: [],
  };
}

function routeChanged(route: DraftRoute): boolean {
  return route.state.weights.some((weight, position) => weight !== route.applied[position]);
}

export function isDirty(draft: Draft): boolean {
  return draft.routes.some(routeChanged) || draft.subsets.length > 0 || draft.headerRoutes.length > 0;
}

/** The route's weights as the API takes them: its destinations, then those to add (weight above 0). */
export function routeWeights(route: DraftRoute): RouteWeights {
  const weights = route.destinations
    .map((destination, position) => ({ destination, weight: route.state.weights[position] ?? 0 }))
    .filter(({ destination, weight }) => destination.inRoute || weight > 0)
    .map(({ destination, weight }) => ({
      host: destination.host,
      ...(destination.subset !== undefined ? { subset: destination.subset } : {}),
      ...(destination.port !== undefined ? { port: destination.port } : {}),
      weight,
    }));
  return { protocol: route.protocol, index: route.index, weights };
}

/** The change request: routes whose weights changed, subsets and header rules to add. */
export function changeOf(draft: Draft): TrafficSplitChange {
  return {
    resourceVersion: draft.base.resourceVersion,
    routes: draft.routes.filter(routeChanged).map(routeWeights),
    ...(draft.subsets.length > 0 ? { subsets: draft.subsets } : {}),
    ...(draft.headerRoutes.length > 0 ? { headerRoutes: draft.headerRoutes } : {}),
  };
}

export type DraftAction =
  | { type: 'move'; route: string; position: number; value: number }
  | { type: 'lock'; route: string; position: number }
  | { type: 'even'; route: string }
  | { type: 'all'; route: string; position: number }
  | { type: 'lastApplied'; route: string }
  | { type: 'addSubset'; offer: SubsetOffer }
  | { type: 'removeSubset'; host: string; name: string }
  | { type: 'addHeaderRoute'; addition: HeaderRouteAddition }
  | { type: 'removeHeaderRoute'; position: number }
  | { type: 'reset'; split: TrafficSplit }
  | { type: 'replace'; draft: Draft };

function updateRoute(draft: Draft, key: string, update: (route: DraftRoute) => DraftRoute): Draft {
  return { ...draft, routes: draft.routes.map((route) => (routeKey(route) === key ? update(route) : route)) };
}

function withState(route: DraftRoute, state: WeightState): DraftRoute {
  return { ...route, state };
}

/** Adds a destination at weight 0 to every route that sends to `host` and does not have it yet. */
function withDestination(route: DraftRoute, destination: DraftDestination): DraftRoute {
  if (!route.destinations.some((existing) => existing.host === destination.host)) return route;
  const port = route.destinations.find((existing) => existing.host === destination.host)?.port;
  const added = { ...destination, ...(port !== undefined ? { port } : {}) };
  if (route.destinations.some((existing) => sameDestination(existing, added))) return route;
  return {
    ...route,
    destinations: [...route.destinations, added],
    applied: [...route.applied, 0],
    state: { weights: [...route.state.weights, 0], locked: [...route.state.locked, false] },
  };
}

function withoutNewSubset(route: DraftRoute, host: string, name: string): DraftRoute {
  const keep = route.destinations.map(
    (destination) => !(destination.newSubset && destination.host === host && destination.subset === name),
  );
  if (keep.every(Boolean)) return route;
  const pick = <T>(values: T[]) => values.filter((_, position) => keep[position]);
  const weights = pick(route.state.weights);
  // The removed destination's share goes back to the first destination of the route.
  const lost = 100 - weights.reduce((total, weight) => total + weight, 0);
  if (weights.length > 0) weights[0] = (weights[0] ?? 0) + lost;
  return {
    ...route,
    destinations: pick(route.destinations),
    applied: pick(route.applied),
    state: { weights, locked: pick(route.state.locked) },
  };
}

export function draftReducer(draft: Draft, action: DraftAction): Draft {
  switch (action.type) {
    case 'move':
      return updateRoute(draft, action.route, (r) =>
        withState(r, moveWeight(r.state, action.position, action.value)),
      );
    case 'lock':
      return updateRoute(draft, action.route, (r) => withState(r, toggleLock(r.state, action.position)));
    case 'even':
      return updateRoute(draft, action.route, (r) => withState(r, applyEvenSplit(r.state)));
    case 'all':
      return updateRoute(draft, action.route, (r) => withState(r, applyAllTo(r.state, action.position)));
    case 'lastApplied':
      return updateRoute(draft, action.route, (r) => withState(r, resetWeights(r.state, r.applied)));
    case 'addSubset': {
      const { offer } = action;
      if (draft.subsets.some((subset) => subset.host === offer.host && subset.name === offer.name))
        return draft;
      const destination: DraftDestination = {
        host: offer.host,
        subset: offer.name,
        inRoute: false,
        newSubset: true,
      };
      return {
        ...draft,
        subsets: [...draft.subsets, { host: offer.host, name: offer.name, labels: offer.labels }],
        routes: draft.routes.map((route) => withDestination(route, destination)),
      };
    }
    case 'removeSubset':
      return {
        ...draft,
        subsets: draft.subsets.filter(
          (subset) => !(subset.host === action.host && subset.name === action.name),
        ),
        routes: draft.routes.map((route) => withoutNewSubset(route, action.host, action.name)),
      };
    case 'addHeaderRoute':
      return { ...draft, headerRoutes: [...draft.headerRoutes, action.addition] };
    case 'removeHeaderRoute':
      return {
        ...draft,
        headerRoutes: draft.headerRoutes.filter((_, position) => position !== action.position),
      };
    case 'reset':
      return draftFrom(action.split);
    case 'replace':
      return action.draft;
  }
}

export interface Rebased {
  draft: Draft;
  /** what could not be carried over, in words; empty when the draft applies to the latest as it was */
  problems: string[];
}

/** Destinations of a draft route with their weights, by identity. */
function weightsByDestination(route: DraftRoute): Map<string, number> {
  return new Map(
    route.destinations.map((destination, position) => [
      destinationKey(destination),
      route.state.weights[position] ?? 0,
    ]),
  );
}

/**
 * The route of `routes` that is `mine` again: same protocol and sending to every destination
 * `mine` sent to, at its old position if it is still there, else the first such route.
 */
function locate(mine: DraftRoute, routes: readonly DraftRoute[]): DraftRoute | undefined {
  const keys = mine.destinations.filter((destination) => destination.inRoute).map(destinationKey);
  const sendsToMine = (route: DraftRoute) =>
    route.protocol === mine.protocol &&
    keys.every((key) => route.destinations.some((d) => d.inRoute && destinationKey(d) === key));
  return routes.find((route) => route.index === mine.index && sendsToMine(route)) ?? routes.find(sendsToMine);
}

/** `route` with `destination` appended at weight 0, unless it has it. */
function including(route: DraftRoute, destination: DraftDestination): DraftRoute {
  if (route.destinations.some((existing) => sameDestination(existing, destination))) return route;
  return {
    ...route,
    destinations: [...route.destinations, { ...destination, inRoute: false }],
    applied: [...route.applied, 0],
    state: { weights: [...route.state.weights, 0], locked: [...route.state.locked, false] },
  };
}

/**
 * The user's draft carried onto a newer version of the object (after a 409): each changed route is
 * found again by its destinations (at its old position if it is still there, else wherever the
 * same destinations are, e.g. after someone put a header rule in front of it), and gets the
 * user's weight for each of them. A route that is gone, or that now sends to a destination the
 * user never weighed, is left as it is now and named in `problems`: re-applying must not move
 * traffic the user did not see. Subsets and header rules to add are carried over, header rules
 * to the new position of the route they were in front of.
 */
export function rebase(draft: Draft, latest: TrafficSplit): Rebased {
  const next = draftFrom(latest);
  const problems: string[] = [];
  let routes = next.routes;
  for (const subset of draft.subsets) {
    const offer: SubsetOffer = { host: subset.host, name: subset.name, labels: subset.labels, pods: 0 };
    routes = draftReducer({ ...next, routes }, { type: 'addSubset', offer }).routes;
  }
  const positions = new Map<number, number>();
  for (const mine of draft.routes) {
    const found = locate(mine, routes);
    if (found && mine.protocol === 'http') positions.set(mine.index, found.index);
    if (!routeChanged(mine)) continue;
    if (!found) {
      problems.push(`${routeLabel(mine)} no longer sends to the same destinations; set its weights again.`);
      continue;
    }
    const weights = weightsByDestination(mine);
    const unknown = found.destinations.filter(
      (destination) => destination.inRoute && !weights.has(destinationKey(destination)),
    );
    if (unknown.length > 0) {
      problems.push(
        `${routeLabel(found)} now also sends to ${unknown.map(destinationLabel).join(', ')}; set its weights again.`,
      );
      continue;
    }
    // Destinations the user gave weight that the latest route does not list are added to it.
    const target = mine.destinations
      .filter((_destination, position) => (mine.state.weights[position] ?? 0) > 0)
      .reduce(including, found);
    const rebased = target.destinations.map((destination) => weights.get(destinationKey(destination)) ?? 0);
    const key = routeKey(found);
    routes = routes.map((route) =>
      routeKey(route) === key ? { ...target, state: weightState(rebased) } : route,
    );
  }
  const headerRoutes = draft.headerRoutes.map((addition) => ({
    ...addition,
    beforeIndex: positions.get(addition.beforeIndex) ?? addition.beforeIndex,
  }));
  return { draft: { ...next, routes, subsets: draft.subsets, headerRoutes }, problems };
}

/**
 * The change that puts back the weights a draft started from, on the object as an apply of that
 * draft left it (undo). Subsets and header rules the apply added stay; `note` says so. Undefined
 * when there are no weights to put back, or the routes can no longer be found.
 */
export function undoChange(
  before: Draft,
  now: TrafficSplit,
): { draft: Draft; change: TrafficSplitChange; note?: string } | undefined {
  const previous: Draft = {
    ...before,
    subsets: [],
    headerRoutes: [],
    routes: before.routes.map((route) => ({
      ...route,
      applied: route.state.weights,
      state: weightState(route.applied),
    })),
  };
  const { draft, problems } = rebase(previous, now);
  const change = changeOf(draft);
  if (problems.length > 0 || change.routes.length === 0) return undefined;
  const header = before.headerRoutes.length > 0;
  const subsets = before.subsets.length > 0;
  const kept =
    header && subsets
      ? 'the header rule and the added subsets stay'
      : header
        ? 'the header rule stays'
        : subsets
          ? 'the added subsets stay'
          : undefined;
  return kept === undefined
    ? { draft, change }
    : { draft, change, note: `Undo puts the weights back; ${kept}.` };
}
