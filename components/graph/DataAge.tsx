'use client';

import { useEffect, useState } from 'react';
import { formatAge } from '@/lib/format/age';

export interface DataAgeProps {
  /** ISO time the data was built */
  timestamp: string;
  /** where the rates came from, and over what window; null when telemetry was unavailable */
  telemetry: { source: string; windowSeconds: number } | null;
  /** a refresh is in flight */
  refreshing: boolean;
}

/** "Updated 12s ago · rates from prometheus over 60s", ticking on its own so the rest of the page does not re-render every second. */
export function DataAge({ timestamp, telemetry, refreshing }: DataAgeProps) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <p className="muted data-age" data-testid="graph-age">
      Updated{' '}
      <time dateTime={timestamp} title={timestamp}>
        {formatAge(timestamp, now)}
      </time>{' '}
      ago ·{' '}
      <span data-testid="graph-telemetry-source">
        {telemetry ? `rates from ${telemetry.source} over ${telemetry.windowSeconds}s` : 'no telemetry'}
      </span>
      {refreshing && (
        <span role="status" className="refreshing">
          {' '}
          · refreshing…
        </span>
      )}
    </p>
  );
}
