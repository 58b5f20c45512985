/**
 * The Meshscope launcher: `meshscope sim | demo | start [options]`, run with tsx
 * (`npm run sim`, `npm run demo`, `npm start`). Command-line contracts: docs/DESIGN §7.
 */
import { CliError, usageError } from './cli/errors';
import { USAGE } from './cli/usage';
import { runDemo } from './commands/demo';
import { runSim } from './commands/sim';
import { runStart } from './commands/start';

const COMMANDS = { sim: runSim, demo: runDemo, start: runStart } as const;

function isCommand(name: string): name is keyof typeof COMMANDS {
  return Object.hasOwn(COMMANDS, name);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE.main);
    return;
  }
  if (!isCommand(command)) throw usageError(`Unknown command "${command}"; expected sim, demo or start`);
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(USAGE[command]);
    return;
  }
  await COMMANDS[command](rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CliError) {
    console.error(`meshscope: ${error.message}`);
    process.exit(error.exitCode);
  }
  // A bug, not an expected failure: keep the stack.
  console.error('meshscope: unexpected error:', error);
  process.exit(70);
});
