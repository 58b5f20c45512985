/** Faults the simulated API server can be told to show, for tests of the dashboard's resilience. */

export interface FaultSettings {
  /** added to every API request before it is answered, in milliseconds */
  latencyMs: number;
  /** when set, every authenticated API request answers 429 with this Retry-After, in seconds */
  throttleRetryAfterSeconds: number | undefined;
}

export function noFaults(): FaultSettings {
  return { latencyMs: 0, throttleRetryAfterSeconds: undefined };
}
