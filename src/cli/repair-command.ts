import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { VnplanError } from '../errors.js';
import { createRepairer } from '../stages/repair/index.js';

/** Where `vnplan repair` reads and writes (the process's streams unless a test passes its own). */
export interface RepairCommandIo {
  /** Text read when no file (or `-`) is named (default: all of `process.stdin`). */
  readonly readStdin?: () => Promise<Buffer>;
  /** Receives the output (default: `process.stdout`). */
  readonly write?: (chunk: string) => void;
}

/** Options of `vnplan repair`, as commander parses them. */
interface RepairFlags {
  json?: boolean;
}

/**
 * `vnplan repair [file]`: repair broken OCR text (a file, or stdin when no
 * file or `-` is given) and print it line for line; `--json` prints every
 * correction instead. A missing or non-UTF-8 file is a `VnplanError`
 * (exit 2) that the CLI's top-level catch prints as one line naming the file.
 */
export function repairCommand(io: RepairCommandIo = {}): Command {
  return new Command('repair')
    .description('restore correct Vietnamese in OCR text (diacritics, misread letters, mangled codes)')
    .argument('[file]', 'UTF-8 text file to repair; stdin when missing or `-`')
    .option('--json', 'print every correction (line, column, from, to, confidence, review, alternatives) as JSON')
    .addHelpText(
      'after',
      `
Output has exactly one line per input line. Corrections below the review threshold are still applied
and marked "review": true in --json output.
Exit status: 0 done · 1 usage error · 2 missing or unreadable file, or not UTF-8.`,
    )
    .action(async (file: string | undefined, flags: RepairFlags) => {
      const write = io.write ?? ((chunk: string) => void process.stdout.write(chunk));
      const useStdin = file === undefined || file === '-';
      const bytes = useStdin ? await (io.readStdin ?? readStdin)() : await readInput(file);
      const text = decodeUtf8(bytes, useStdin ? '<stdin>' : file);
      const repairer = createRepairer();
      const { text: repaired, corrections } = repairer.repairText(text);
      if (flags.json) {
        const list = corrections.map((c) => ({
          line: c.line,
          column: c.column,
          endColumn: c.endColumn,
          from: c.actual,
          to: c.expected,
          confidence: c.confidence,
          review: c.review,
          ruleId: c.ruleId,
          alternatives: c.alternatives,
        }));
        write(`${JSON.stringify({ file: useStdin ? null : file, corrections: list }, null, 2)}\n`);
      } else {
        write(repaired);
      }
    });
}

async function readInput(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new VnplanError('INPUT_NOT_FOUND', 'no such file', { path, cause });
    if (code === 'EISDIR') throw new VnplanError('INPUT_UNSUPPORTED', 'is a folder, expected a text file', { path, cause });
    throw new VnplanError('INPUT_UNREADABLE', `cannot read the file (${code ?? 'unknown error'})`, { path, cause });
  }
}

/** Decode strictly: a legacy 8-bit file (TCVN3, VNI) must not be silently mangled into U+FFFD. */
function decodeUtf8(bytes: Buffer, path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (cause) {
    throw new VnplanError('INPUT_NOT_UTF8', 'not UTF-8 text (convert legacy encodings first)', { path, cause });
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
