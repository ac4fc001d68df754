#!/usr/bin/env node
/**
 * The `vnplan` command. The only module that reads argv, exits the process
 * or catches errors at the top: a known `VnplanError` becomes one line on
 * stderr and its exit code (README table); anything else is a bug, reported
 * as such (stack with `--debug`).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { EXIT_CODES, isVnplanError } from '../errors.js';
import { convertCommand } from './convert-command.js';
import { repairCommand } from './repair-command.js';
import { interrupt } from './interrupt.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const debug = process.argv.includes('--debug');
const logJson = process.argv.includes('--log-json');

function fail(line: string, exitCode: number, extra: Record<string, unknown> = {}): never {
  if (logJson) process.stderr.write(`${JSON.stringify({ event: 'error', message: line, exitCode, ...extra })}\n`);
  else process.stderr.write(`vnplan: ${line}\n`);
  process.exit(exitCode);
}

// A closed pipe (`vnplan … 2>&1 | head`) must not crash a long batch.
process.stderr.on('error', () => {});
process.stdout.on('error', () => {});

for (const name of ['SIGINT', 'SIGTERM'] as const) {
  process.on(name, () => {
    // First signal: let the command stop cleanly. Second (or no command
    // listening): stop now; outputs are published by rename, so none is partial.
    if (!interrupt(name)) process.exit(EXIT_CODES.INTERRUPTED);
  });
}

const program = new Command('vnplan')
  .description('Turn scanned Vietnamese government plans into correct Vietnamese text and structured JSON, offline.')
  .version(version, '-V, --version')
  .exitOverride()
  .showHelpAfterError('(run with --help for usage)');
program.addCommand(convertCommand());
program.addCommand(repairCommand());

try {
  for (const command of program.commands) command.exitOverride();
  await program.parseAsync(process.argv);
  process.exit(process.exitCode ?? EXIT_CODES.OK);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander already printed the usage problem (or help / version).
    process.exit(error.exitCode === 0 ? EXIT_CODES.OK : EXIT_CODES.BAD_ARGS);
  }
  if (isVnplanError(error)) {
    fail(error.toString(), error.exitCode, { code: error.code, path: error.path ?? null, page: error.page ?? null });
  }
  const detail = debug && error instanceof Error && error.stack ? `\n${error.stack}` : ' (run with --debug for details)';
  fail(`internal error, please report: ${error instanceof Error ? error.message : String(error)}${detail}`, EXIT_CODES.OTHER, { code: 'INTERNAL' });
}
