/**
 * A repeated signal within this many milliseconds is the same request delivered twice (to the
 * process group by the terminal, and relayed by a parent such as npm or tsx), not a second Ctrl-C.
 */
const DUPLICATE_SIGNAL_MS = 1_000;

/**
 * Runs `stop` once on SIGINT or SIGTERM (or when the parent process that started us with an IPC
 * channel goes away), then exits 0. Another signal while stopping, later than a duplicate would
 * arrive, exits at once with 130.
 */
export function stopOnSignal(stop: (reason: string) => Promise<void>): void {
  let stoppingSince: number | undefined;
  const handle = (reason: string) => {
    if (stoppingSince !== undefined) {
      if (performance.now() - stoppingSince > DUPLICATE_SIGNAL_MS) process.exit(130);
      return;
    }
    stoppingSince = performance.now();
    stop(reason).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(
          `meshscope: error while stopping: ${error instanceof Error ? error.message : String(error)}`,
        );
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => handle('SIGINT'));
  process.on('SIGTERM', () => handle('SIGTERM'));
  // Started with an IPC channel (by `meshscope demo`, or by tsx's CLI): stop with the parent,
  // even when it was killed without a chance to stop us.
  if (process.connected) process.on('disconnect', () => handle('parent exited'));
}
