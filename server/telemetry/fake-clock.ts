import type { Clock } from './clock';

/** For tests: a clock that moves only when told to, running the timers that fall due. */
export class FakeClock implements Clock {
  private timers: { at: number; task: () => void }[] = [];

  constructor(private time: number) {}

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, task: () => void): () => void {
    const timer = { at: this.time + delayMs, task };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((candidate) => candidate !== timer);
    };
  }

  /** timers not yet run */
  get pending(): number {
    return this.timers.length;
  }

  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((timer) => timer.at <= this.time);
    this.timers = this.timers.filter((timer) => timer.at > this.time);
    for (const timer of due) timer.task();
  }
}
