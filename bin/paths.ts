import { fileURLToPath } from 'node:url';

/** The repository root: next.config.ts, app/ and .next/ live here. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** This launcher's entry file, for starting a copy of it as a child process. */
export const LAUNCHER_ENTRY = fileURLToPath(new URL('./meshscope.ts', import.meta.url));
