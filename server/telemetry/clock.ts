import 'server-only';

/** Time and timers, injectable so tests can drive the direct source's loop on a fake clock. */
export interface Clock {
  /** milliseconds since the epoch */
  now(): number;
  /** Run `task` once after `delayMs`; returns a function that cancels it. */
  schedule(delayMs: number, task: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(delayMs, task) {
    const timer = setTimeout(task, delayMs);
    // A telemetry loop never keeps the process alive on its own.
    timer.unref();
    return () => clearTimeout(timer);
  },
};
