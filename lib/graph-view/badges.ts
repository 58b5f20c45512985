/**
 * Node badges as small glyphs: shown after a node's name on the canvas, in the legend and in the
 * table. Glyphs are plain Unicode that common sans-serif fonts carry (no emoji font needed), so a
 * PNG export looks the same on a server without colour fonts.
 */
import type { Badge } from '../types/graph';

export interface BadgeInfo {
  glyph: string;
  label: string;
}

export const BADGES: Record<Badge, BadgeInfo> = {
  circuitBreaker: { glyph: '⚡', label: 'Circuit breaker (connection pool or outlier detection)' },
  virtualService: { glyph: '⎇', label: 'VirtualService' },
  trafficShifting: { glyph: '⇄', label: 'Traffic shifting (weighted routes)' },
  faultInjection: { glyph: '⚠', label: 'Fault injection' },
  requestTimeout: { glyph: '⌛', label: 'Request timeout' },
  retries: { glyph: '↻', label: 'Retries' },
  mirroring: { glyph: '⇉', label: 'Mirroring' },
  missingSidecar: { glyph: '⊘', label: 'Missing sidecar' },
  gateway: { glyph: '⊕', label: 'Gateway' },
  serviceEntry: { glyph: '↗', label: 'ServiceEntry (external)' },
  configFindings: { glyph: '✱', label: 'Configuration findings (see Istio config)' },
};

/** The order badges are drawn in, most telling first. */
export const BADGE_ORDER: readonly Badge[] = [
  'configFindings',
  'circuitBreaker',
  'missingSidecar',
  'faultInjection',
  'trafficShifting',
  'virtualService',
  'requestTimeout',
  'retries',
  'mirroring',
  'gateway',
  'serviceEntry',
];

/** A node's badges as a glyph string in drawing order (`⚡⎇`), empty without badges. */
export function badgeGlyphs(badges: readonly Badge[]): string {
  const present = new Set(badges);
  return BADGE_ORDER.filter((badge) => present.has(badge))
    .map((badge) => BADGES[badge].glyph)
    .join('');
}

/** The badges in words, for the table and screen readers. */
export function badgeNames(badges: readonly Badge[]): string {
  const present = new Set(badges);
  return BADGE_ORDER.filter((badge) => present.has(badge))
    .map((badge) => BADGES[badge].label)
    .join(', ');
}
