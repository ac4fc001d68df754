import { stat } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { EXIT_CODES, VnplanError, isVnplanError } from '../errors.js';
import { createProgress, runBatch, type ProgressMode } from '../batch/index.js';
import { interruptSignal } from './interrupt.js';

/** Options of `vnplan convert`, as commander parses them. */
interface ConvertFlags {
  output: string;
  jobs?: number;
  force?: boolean;
  retryFailed?: boolean;
  quiet?: boolean;
  logJson?: boolean;
  pageTimeout: number;
  debug?: boolean;
}

/**
 * `vnplan convert <inputs...> -o <out>`: convert files and folders.
 *
 * Exit status (set on `process.exitCode`; `index.ts` exits with it): 0 when
 * every input was converted (or skipped as not a document), 10 when some
 * failed, 130 when interrupted. A single file named alone exits with its
 * own error's code instead (2 bad input, 7 OCR failure, 8 encrypted PDF…),
 * by throwing that error to the CLI's top-level catch.
 */
export function convertCommand(): Command {
  return new Command('convert')
    .description('convert scans, PDFs, images and text files to JSON, text and Markdown')
    .argument('<inputs...>', 'files or folders (folders are walked recursively)')
    .requiredOption('-o, --output <folder>', 'output folder; writes <stem>.json, .txt and .md, mirroring input folders')
    .option('-j, --jobs <n>', 'parallel jobs: OCR workers, and files converted at once (default: number of cores)', positiveInteger)
    .option('--force', 'redo every input, even those already converted')
    .addOption(new Option('--retry-failed', 'redo inputs that failed in an earlier run').conflicts('force'))
    .option('--quiet', 'print nothing but errors')
    .addOption(new Option('--log-json', 'print one JSON object per event on stderr (for machines)').conflicts('quiet'))
    .option('--page-timeout <seconds>', 'give up OCR of a page after this long', positiveNumber, 180)
    .option('--debug', 'print stack traces of unexpected errors')
    .addHelpText(
      'after',
      `
Exit status: 0 all converted · 1 usage error · 2 bad input · 5 cannot write output · 7 OCR failed ·
8 encrypted PDF · 10 some files failed (batch) · 15 internal error · 130 interrupted.
A re-run skips inputs already converted with the same input, version, options and dictionaries.`,
    )
    .action(async (inputs: string[], flags: ConvertFlags) => {
      process.exitCode = await convert(inputs, flags);
    });
}

async function convert(inputs: string[], flags: ConvertFlags): Promise<number> {
  const single = inputs.length === 1 && (await stat(inputs[0]).catch(() => undefined))?.isFile() === true;
  const mode: ProgressMode = flags.logJson ? 'json' : flags.quiet ? 'quiet' : process.stderr.isTTY ? 'tty' : 'plain';
  const progress = createProgress({ mode, stream: process.stderr, single, debug: flags.debug === true });
  const signal = interruptSignal();
  const onInterrupt = () => {
    progress.stop();
    if (mode !== 'json') process.stderr.write('vnplan: stopping: no new files are started, files in progress are cancelled…\n');
  };
  signal.addEventListener('abort', onInterrupt, { once: true });
  try {
    const result = await runBatch({
      inputs,
      outDir: flags.output,
      ...(flags.jobs === undefined ? {} : { jobs: flags.jobs }),
      force: flags.force === true,
      retryFailed: flags.retryFailed === true,
      pageTimeoutMs: Math.round(flags.pageTimeout * 1000),
      signal,
      onEvent: (event) => progress.onEvent(event),
    });
    if (result.interrupted) {
      const { totals } = result.summary;
      const again = ['vnplan', ...process.argv.slice(2)].map(shellQuote).join(' ');
      const message = `interrupted: ${totals.files - totals.pending} of ${totals.files} inputs done; no partial output was written. Run the same command again to resume:\n  ${again}`;
      if (mode === 'json') process.stderr.write(`${JSON.stringify({ event: 'interrupted', message, resume: again })}\n`);
      else process.stderr.write(`vnplan: ${message}\n`);
      return EXIT_CODES.INTERRUPTED;
    }
    if (single && result.failures.length > 0) {
      // One input named alone: behave like a single-file tool (OCRmyPDF),
      // one line naming the file and that error's own exit code.
      const { entry, error } = result.failures[0];
      if (isVnplanError(error)) {
        throw error.path === undefined
          ? new VnplanError(error.code, error.message, { path: inputs[0], ...(error.page === undefined ? {} : { page: error.page }), cause: error.cause })
          : error;
      }
      throw error ?? new Error(`${entry.input}: ${entry.error?.message ?? 'failed'}`);
    }
    return result.summary.totals.failed > 0 ? EXIT_CODES.SOME_FILES_FAILED : EXIT_CODES.OK;
  } finally {
    signal.removeEventListener('abort', onInterrupt);
    progress.stop();
  }
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(number) || number < 1) {
    throw new InvalidArgumentError('Expected a positive integer.');
  }
  return number;
}

function positiveNumber(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('Expected a positive number of seconds.');
  return number;
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
