#!/usr/bin/env node
import { HarnessError } from '../errors.js';
import { kernelsCommand } from './kernels-command.js';
import { matrixCommand } from './matrix-command.js';
import { runCommand } from './run-command.js';
import { usage } from './usage.js';

/**
 * The `harness-vm` command. Ctrl-C (or SIGTERM) aborts the run: guests are killed and temporary
 * directories removed before the process exits with 130.
 */
async function main(argv: string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (name: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write(`\nharness-vm: ${name}: stopping guests and cleaning up...\n`);
      controller.abort(new HarnessError('ABORTED', `interrupted by ${name}`));
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    if (subcommand === undefined || subcommand === 'help' || subcommand === '--help' || subcommand === '-h') {
      process.stdout.write(usage);
      return subcommand === undefined ? 2 : 0;
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(usage);
      return 0;
    }
    switch (subcommand) {
      case 'run':
        return await runCommand(rest, controller.signal);
      case 'matrix':
        return await matrixCommand(rest, controller.signal);
      case 'kernels':
        return await kernelsCommand(rest);
      default:
        process.stderr.write(`harness-vm: unknown command "${subcommand}"\n\n${usage}`);
        return 2;
    }
  } catch (error) {
    if (controller.signal.aborted) {
      process.stderr.write('harness-vm: interrupted; no guest left running\n');
      return 130;
    }
    if (HarnessError.isInstance(error) && error.code === 'INVALID_OPTION') {
      process.stderr.write(`harness-vm: ${error.message}\n`);
      return 2;
    }
    if (HarnessError.isInstance(error) && error.code === 'UNKNOWN_KERNEL') {
      process.stderr.write(`harness-vm: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`harness-vm: ${(error as Error).stack ?? error}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

process.exitCode = await main(process.argv.slice(2));
