/**
 * An expected failure of the launcher (bad flag, port in use, build failed): printed as one line
 * on stderr, without a stack trace, and the process exits with `exitCode`.
 */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Exit code for command-line usage errors, as in BSD's sysexits (EX_USAGE). */
export const USAGE_EXIT_CODE = 64;

export function usageError(message: string): CliError {
  return new CliError(`${message} (see --help)`, { exitCode: USAGE_EXIT_CODE });
}
