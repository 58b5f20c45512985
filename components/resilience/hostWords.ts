import type { HostState } from '@/lib/types/resilience';

/** A host's state as people say it. */
export const HOST_STATE_WORDS: Record<HostState, string> = {
  ejected: 'ejected by outlier detection',
  'failed-health-check': 'failing active health check',
  unhealthy: 'unhealthy (EDS)',
  draining: 'draining',
  'pending-removal': 'pending removal',
  'pending-health-check': 'waiting for its first health check',
  degraded: 'degraded',
  healthy: 'healthy',
};

export function clockTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
