import type { IstioObject } from '../../types/mesh-config';
import type { CheckContext } from '../checker';
import { defineChecker, ref } from '../checker';
import { integer, type Json, record, records, text } from '../spec';

type Section = 'http' | 'tcp' | 'tls';

/** JSON with sorted keys, so equal matches compare equal. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const object = record(value);
  if (object) {
    return `{${Object.keys(object)
      .filter((key) => object[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(object[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function withoutName(match: Json): Json {
  const { name: _name, ...rest } = match;
  return rest;
}

/** Whether a StringMatch `a` accepts every value `b` accepts (an absent `a` accepts anything). */
function stringCovers(a: unknown, b: unknown): boolean {
  const left = record(a);
  if (!left || (left.exact === undefined && left.prefix === undefined && left.regex === undefined))
    return true;
  const right = record(b);
  if (!right) return false;
  const exact = text(right.exact);
  const prefix = text(right.prefix);
  if (left.exact !== undefined) return exact === text(left.exact);
  if (left.prefix !== undefined) {
    const wanted = text(left.prefix) ?? '';
    return exact?.startsWith(wanted) === true || prefix?.startsWith(wanted) === true;
  }
  return (
    text(left.regex) === '.*' || (text(right.regex) !== undefined && text(right.regex) === text(left.regex))
  );
}

function mapCovers(a: unknown, b: unknown, covers: (x: unknown, y: unknown) => boolean): boolean {
  const left = record(a);
  if (!left) return true;
  const right = record(b) ?? {};
  return Object.keys(left).every((key) => key in right && covers(left[key], right[key]));
}

/**
 * Whether every request matching HTTP match `b` also matches `a` (so `a`, earlier, takes it).
 * Conservative: fields it does not understand must be equal.
 */
export function httpMatchCovers(a: Json, b: Json): boolean {
  for (const key of Object.keys(a)) {
    const left = a[key];
    const right = b[key];
    switch (key) {
      case 'name':
      case 'statPrefix':
        break;
      case 'uri':
        if (!stringCovers(left, right)) return false;
        if (left !== undefined && b.ignoreUriCase === true && a.ignoreUriCase !== true) return false;
        break;
      case 'scheme':
      case 'method':
      case 'authority':
        if (!stringCovers(left, right)) return false;
        break;
      case 'headers':
      case 'queryParams':
        if (!mapCovers(left, right, (x, y) => record(y) !== undefined && stringCovers(x, y))) return false;
        break;
      case 'withoutHeaders':
        if (!mapCovers(left, right, (x, y) => canonical(x) === canonical(y))) return false;
        break;
      case 'ignoreUriCase':
        break;
      case 'sourceLabels':
        if (!mapCovers(left, right, (x, y) => x === y)) return false;
        break;
      default:
        if (!valueCovers(left, right)) return false;
    }
  }
  return true;
}

/** For L4 matches and unknown fields: lists cover sub-lists, maps cover super-maps, scalars are equal. */
function valueCovers(left: unknown, right: unknown): boolean {
  if (left === undefined) return true;
  if (right === undefined) return false;
  if (Array.isArray(left)) {
    const allowed = new Set(left.map(canonical));
    return Array.isArray(right) && right.length > 0 && right.every((item) => allowed.has(canonical(item)));
  }
  if (record(left)) return mapCovers(left, right, (x, y) => canonical(x) === canonical(y));
  return canonical(left) === canonical(right);
}

export function l4MatchCovers(a: Json, b: Json): boolean {
  return Object.keys(a).every((key) => key === 'name' || valueCovers(a[key], b[key]));
}

/** `istioctl analyze`'s own overlap test (prefix URIs only, GET assumed when no method). */
interface IstioPrefixMatch {
  prefix: string;
  port: string;
  method: string;
  authority: string;
  maps: Record<string, string>[];
}

function exactOrPrefix(value: unknown): string {
  const match = record(value);
  if (text(match?.exact)) return `exact:${text(match?.exact)}`;
  if (text(match?.prefix)) return `prefix:${text(match?.prefix)}`;
  return '';
}

function istioPrefixMatch(match: Json): IstioPrefixMatch | undefined {
  const prefix = text(record(match.uri)?.prefix);
  if (!prefix) return undefined;
  const toMap = (value: unknown) =>
    Object.fromEntries(Object.entries(record(value) ?? {}).map(([key, item]) => [key, exactOrPrefix(item)]));
  return {
    prefix,
    port: String(match.port ?? ''),
    method: exactOrPrefix(match.method) || 'exact:GET',
    authority: exactOrPrefix(match.authority),
    maps: [toMap(match.headers), toMap(match.queryParams), toMap(match.withoutHeaders)],
  };
}

function istioCovers(a: IstioPrefixMatch, b: IstioPrefixMatch): boolean {
  if (a.prefix === b.prefix || !b.prefix.startsWith(a.prefix) || a.port !== b.port) return false;
  const loose = (x: string, y: string) => x === y || x.startsWith(y);
  if (!loose(a.method, b.method) || !loose(a.authority, b.authority)) return false;
  return a.maps.every((map, position) => {
    const other = b.maps[position] ?? {};
    const keys = Object.keys(map);
    return (
      keys.length === Object.keys(other).length &&
      keys.every((key) => other[key] !== undefined && loose(map[key] ?? '', other[key] ?? ''))
    );
  });
}

function ruleName(section: Section, rule: Json, position: number): string {
  const name = section === 'http' ? text(rule.name) : undefined;
  return name ? `"${name}"` : `#${position}`;
}

interface SeenMatch {
  rule: number;
  match: Json;
  istio?: IstioPrefixMatch;
}

/**
 * Rules that can never match or matches that never decide: a second rule without `match` (or any
 * rule after a catch-all), matches equal to an earlier one (IST0130, IST0131, as
 * `istioctl analyze` finds them), and matches covered by an earlier, broader one (a prefix, a
 * subset of the headers...): reported with IST0131 when istioctl's own prefix test sees it too.
 */
function checkRules(virtualService: IstioObject, section: Section, context: CheckContext): void {
  const rules = records(virtualService.spec[section]);
  const subject = ref(virtualService);
  const seen = new Map<string, number>();
  const earlier: SeenMatch[] = [];
  let catchAll = -1;
  rules.forEach((rule, position) => {
    const path = `spec.${section}[${position}]`;
    const name = ruleName(section, rule, position);
    const matches = records(rule.match);
    if (catchAll >= 0) {
      const first = ruleName(section, rules[catchAll] ?? {}, catchAll);
      context.report(subject, {
        code: 'vs.route.unreachable',
        path,
        message:
          `${section} rule ${name} is never used: rule ${first} has no match, so it takes all traffic first` +
          `${matches.length === 0 ? ' (only the last rule can have no match)' : ''}. Move the catch-all rule last, or delete this one.`,
        istioCode: matches.length === 0 ? undefined : null,
      });
      return;
    }
    if (matches.length === 0) {
      catchAll = position;
      return;
    }
    let duplicates = 0;
    let covered = 0;
    matches.forEach((match, matchPosition) => {
      const matchPath = `${path}.match[${matchPosition}]`;
      const key = canonical(withoutName(match));
      const duplicateOf = seen.get(key);
      if (duplicateOf !== undefined) {
        duplicates++;
        covered++;
        context.report(subject, {
          code: 'vs.route.match-shadowed',
          path: matchPath,
          message:
            `Match #${matchPosition} of ${section} rule ${name} repeats a match of rule ${ruleName(section, rules[duplicateOf] ?? {}, duplicateOf)}, ` +
            'which takes that traffic first; this match never decides. Remove it, or make it more specific than the earlier one.',
        });
        return;
      }
      seen.set(key, position);
      const istio = section === 'http' ? istioPrefixMatch(match) : undefined;
      const covers = section === 'http' ? httpMatchCovers : l4MatchCovers;
      const coverer = earlier.find((other) => covers(other.match, match));
      if (coverer) {
        const istioSeesIt =
          istio !== undefined && earlier.some((other) => other.istio && istioCovers(other.istio, istio));
        if (coverer.rule < position) covered++;
        const where =
          coverer.rule === position
            ? 'an earlier match of the same rule'
            : `rule ${ruleName(section, rules[coverer.rule] ?? {}, coverer.rule)}`;
        context.report(subject, {
          code: 'vs.route.match-shadowed',
          path: matchPath,
          message:
            `Match #${matchPosition} of ${section} rule ${name} is covered by ${where}: every request it matches is taken there first, so it never decides. ` +
            'Put the more specific match first, or remove this one.',
          istioCode: istioSeesIt ? undefined : null,
        });
      }
      earlier.push({ rule: position, match, istio });
    });
    if (duplicates === matches.length || covered === matches.length) {
      context.report(subject, {
        code: 'vs.route.unreachable',
        path,
        message:
          `${section} rule ${name} is never used: ${duplicates === matches.length ? 'each of its matches repeats' : 'each of its matches is covered by'} a match of an earlier rule. ` +
          'Reorder the rules (specific first), or remove this one.',
        istioCode: duplicates === matches.length ? undefined : null,
      });
    }
  });
}

/**
 * Weights: several destinations whose weights do not add up to 100 (Istio treats them as
 * proportions; older releases rejected them) or are all 0, one destination with a weight below 100
 * (ignored: it gets all traffic, Kiali KIA1104), and the same host and subset twice in one route
 * (KIA1105).
 */
function checkWeights(virtualService: IstioObject, section: Section, context: CheckContext): void {
  const subject = ref(virtualService);
  records(virtualService.spec[section]).forEach((rule, position) => {
    const routes = records(rule.route);
    const path = `spec.${section}[${position}].route`;
    if (routes.length === 1) {
      const weight = integer(routes[0]?.weight);
      if (weight !== undefined && weight > 0 && weight < 100) {
        context.report(subject, {
          code: 'vs.route.single-weight',
          path: `${path}[0].weight`,
          message:
            `The only destination of ${section} rule #${position} has weight ${weight}, but a single destination gets all the traffic whatever its weight. ` +
            'Remove the weight, or add the destinations that should share the traffic.',
        });
      }
    } else if (routes.length > 1) {
      const weights = routes.map((route) => integer(route.weight) ?? 0);
      const total = weights.reduce((sum, weight) => sum + weight, 0);
      if (total === 0) {
        context.report(subject, {
          code: 'vs.route.weights-all-zero',
          path,
          message: `Every destination of ${section} rule #${position} has weight 0, so no destination can take its traffic. Give the destinations weights that add up to 100.`,
        });
      } else if (total !== 100) {
        context.report(subject, {
          code: 'vs.route.weights-not-100',
          path,
          message:
            `The weights of ${section} rule #${position} add up to ${total} (${weights.join(' + ')}), not 100. ` +
            'Recent Istio treats them as proportions, older releases reject the VirtualService, and readers take them for percentages. Make them add up to 100.',
        });
      }
    }
    const first = new Map<string, number>();
    routes.forEach((route, routePosition) => {
      const destination = record(route.destination);
      if (!destination) return;
      const host = context.index.fqdn(text(destination.host) ?? '', virtualService.namespace);
      const key = `${host}|${text(destination.subset) ?? ''}|${integer(record(destination.port)?.number) ?? ''}`;
      const previous = first.get(key);
      if (previous === undefined) {
        first.set(key, routePosition);
        return;
      }
      context.report(subject, {
        code: 'vs.route.duplicate-destination',
        path: `${path}[${routePosition}].destination`,
        message:
          `Destination ${host}${text(destination.subset) ? ` subset ${text(destination.subset)}` : ''} appears twice in ${section} rule #${position} (also at route[${previous}]). ` +
          'Merge the two entries and add up their weights.',
      });
    });
  });
}

export const vsRouting = defineChecker({
  id: 'vs-routing',
  kind: 'VirtualService',
  check(virtualService, context) {
    for (const section of ['http', 'tcp', 'tls'] as const) {
      checkRules(virtualService, section, context);
      checkWeights(virtualService, section, context);
    }
  },
});
