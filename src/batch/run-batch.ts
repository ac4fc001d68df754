import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import PQueue from 'p-queue';
import type { Doc } from '../model/doc.js';
import { VnplanError, isVnplanError } from '../errors.js';
import { createOcrPool, type OcrPool } from '../stages/ocr/index.js';
import { writeOutputs } from '../stages/write/index.js';
import { VERSION, convertFile as pipelineConvertFile } from '../pipeline.js';
import { fingerprintFolder, sha256File, sha256Of } from './hash.js';
import { createLanes } from './lanes.js';
import { lockOutFolder, prepareOutFolder, sweepStaleTemporaries } from './out-folder.js';
import {
  SUMMARY_FILE,
  SUMMARY_VERSION,
  computeTotals,
  readSummary,
  round,
  writeSummary,
  type EntryError,
  type Summary,
  type SummaryEntry,
} from './summary.js';
import { classify, findFiles, joinRel, nameOutputs, type Classified } from './walk.js';

/** Something that happened during a batch, for progress displays and logs. */
export type BatchEvent =
  | { type: 'start'; inputs: number; skipped: number; jobs: number; outDir: string }
  | { type: 'file-start'; input: string }
  | { type: 'page'; input: string; page: number; pageCount: number; status: 'ok' | 'failed' }
  | { type: 'file'; entry: SummaryEntry; error?: unknown }
  | { type: 'end'; summary: Summary; interrupted: boolean };

/** Options of `runBatch`. */
export interface BatchOptions {
  /** Files and folders to convert, as given. */
  readonly inputs: readonly string[];
  /** Output folder; the input tree is mirrored under it. */
  readonly outDir: string;
  /** OCR workers (pages OCR'd at once). @default os.availableParallelism() */
  readonly jobs?: number;
  /** Redo every input, ignoring earlier results. @default false */
  readonly force?: boolean;
  /** Redo inputs that failed before (with the same input and settings). @default false */
  readonly retryFailed?: boolean;
  /** Per-page OCR time limit, ms. @default 180000 */
  readonly pageTimeoutMs?: number;
  /** Replace an OCR worker after this many pages. @default the pool's default */
  readonly recycleAfterPages?: number;
  /** Abort: stop taking new files, cancel the ones in flight, keep what is finished. */
  readonly signal?: AbortSignal;
  /** Called for each event, synchronously. */
  readonly onEvent?: (event: BatchEvent) => void;
  /** The conversion to run per file. @default the pipeline's `convertFile` */
  readonly convertFile?: typeof pipelineConvertFile;
}

/** What `runBatch` returns. */
export interface BatchResult {
  /** The summary as written to `<outDir>/vnplan-summary.json`. */
  summary: Summary;
  /** Path of the summary file. */
  summaryPath: string;
  /** True when the signal aborted the run before every input was done. */
  interrupted: boolean;
  /** Errors of inputs that failed in this run, as thrown (for single-file reporting). */
  failures: Array<{ entry: SummaryEntry; error: unknown }>;
}

// src/batch/ and dist/batch/ are both two levels below the package root.
const packageRoot = new URL('../../', import.meta.url);

/**
 * Convert many files into one output folder, resumably.
 *
 * Files run through a p-queue; with several inputs each runs in one of
 * `jobs` lanes (worker threads that rasterize, preprocess, repair and
 * structure), and all their pages go to one shared OCR pool of `jobs`
 * workers in this thread.
 * After every finished file the summary is rewritten atomically: it is the
 * journal a later run resumes from. An input is reused when its sha256, the
 * vnplan version, the output-changing options and the dictionaries are all
 * unchanged and its outputs still have the recorded hashes.
 *
 * @throws {VnplanError} `BAD_ARGS`, `INPUT_NOT_FOUND`, `OUTPUT_ACCESS` before any work starts.
 */
export async function runBatch(options: Readonly<BatchOptions>): Promise<BatchResult> {
  const jobs = options.jobs ?? availableParallelism();
  const pageTimeoutMs = options.pageTimeoutMs ?? 180_000;
  checkPositiveInteger('jobs', jobs);
  checkPositiveInteger('pageTimeoutMs', pageTimeoutMs);
  if (options.inputs.length === 0) throw new VnplanError('BAD_ARGS', 'no input given');
  const signal = options.signal ?? new AbortController().signal;
  const emit = options.onEvent ?? (() => {});
  const started = performance.now();

  const found = await findFiles(options.inputs, options.outDir);
  await prepareOutFolder(options.outDir);
  const unlock = await lockOutFolder(options.outDir);
  try {
    await sweepStaleTemporaries(options.outDir);
    const convertFile = options.convertFile ?? pipelineConvertFile;
    const classified = await mapLimited(found, 16, classify);
    const inputs = classified.filter((item): item is Extract<Classified, { role: 'input' }> => item.role === 'input');
    const names = nameOutputs(inputs.map((item) => item.rel));
    const summaryPath = joinRel(options.outDir, SUMMARY_FILE);

    const normalizedOptions = { pageTimeoutMs };
    const version = VERSION;
    const dictionaries = await fingerprintFolder(fileURLToPath(new URL('dictionaries/', packageRoot)));
    const previous = await readSummary(summaryPath);
    const earlier = new Map((previous?.files ?? []).filter((entry) => entry.output).map((entry) => [entry.output!, entry]));

    // Entries in walk order. Until an input is rechecked, its entry from the
    // earlier run stays, so a kill now does not lose what that run finished.
    const slots: Array<SummaryEntry | undefined> = [];
    const tasks: Array<{ item: Extract<Classified, { role: 'input' }>; output: string; slot: number }> = [];
    let nameIndex = 0;
    for (const item of classified) {
      const slot = slots.length;
      if (item.role === 'skipped') {
        slots.push(skippedEntry(item.display, item.reason));
        continue;
      }
      const name = names[nameIndex++];
      const output = name.folder === '' ? name.stem : `${name.folder}/${name.stem}`;
      // Matched by output name; the key (input bytes and name, settings) decides reuse.
      slots.push(earlier.get(output));
      tasks.push({ item, output, slot });
    }
    const finished = new Set<number>();

    const summaryOf = (complete: boolean): Summary => {
      const counted = slots.filter(
        (entry, index): entry is SummaryEntry => entry !== undefined && (finished.has(index) || entry.status === 'skipped'),
      );
      const pending = tasks.filter((task) => !finished.has(task.slot)).length;
      return {
        summaryVersion: SUMMARY_VERSION,
        vnplanVersion: version,
        options: normalizedOptions,
        dictionaries,
        complete,
        totals: computeTotals(counted, (performance.now() - started) / 1000, pending),
        // While running (and when interrupted) unfinished inputs keep their
        // earlier entries: they are the journal the next run resumes from.
        files: slots.filter((entry): entry is SummaryEntry => entry !== undefined),
      };
    };

    const saver = coalescingSaver(() => writeSummary(summaryPath, summaryOf(false)));
    emit({ type: 'start', inputs: tasks.length, skipped: classified.length - tasks.length, jobs, outDir: options.outDir });
    for (const entry of slots) if (entry?.status === 'skipped') emit({ type: 'file', entry });
    await saver.save();

    const pool: OcrPool = createOcrPool({
      workers: jobs,
      pageTimeoutMs,
      ...(options.recycleAfterPages === undefined ? {} : { recycleAfterPages: options.recycleAfterPages }),
    });
    const failures: BatchResult['failures'] = [];
    let fatal: unknown;
    const stopOnFatal = new AbortController();
    const combined = AbortSignal.any([signal, stopOnFatal.signal]);
    // Several inputs: one lane (worker thread) per job, each converting one
    // file at a time page by page, so -j N keeps N cores busy (lanes.ts).
    // One input (or a conversion passed in): convert it here, where the
    // pipeline overlaps preparing the next pages with OCR of the last ones.
    const lanes = tasks.length > 1 && options.convertFile === undefined ? createLanes({ lanes: jobs, pool, pageTimeoutMs, signal: combined }) : undefined;
    const queue = new PQueue({ concurrency: lanes ? jobs : jobs + 1 });
    const runTask = async (task: (typeof tasks)[number]): Promise<void> => {
      if (combined.aborted) return;
      const { item, output } = task;
      emit({ type: 'file-start', input: item.display });
      const result = await convertOne({
        item,
        output,
        outDir: options.outDir,
        // The file name is in the key because the JSON names its source file.
        key: (sha256: string) => sha256Of(JSON.stringify([sha256, basename(item.path), version, normalizedOptions, dictionaries])),
        before: options.force ? undefined : slots[task.slot],
        retryFailed: options.retryFailed === true,
        convert: (path) => {
          const onPage = (event: { page: number; pageCount: number; status: 'ok' | 'failed' }) =>
            emit({ type: 'page', input: item.display, page: event.page, pageCount: event.pageCount, status: event.status });
          return lanes ? lanes.convert(path, onPage) : convertFile(path, { ocrPool: pool, pageTimeoutMs, signal: combined, onPage });
        },
        signal: combined,
      });
      if (result === undefined) return; // interrupted mid-file: stays pending
      slots[task.slot] = result.entry;
      finished.add(task.slot);
      if (result.error !== undefined) failures.push({ entry: result.entry, error: result.error });
      emit({ type: 'file', entry: result.entry, ...(result.error === undefined ? {} : { error: result.error }) });
      await saver.save();
    };

    // A failure outside any one input (the output folder vanished, the disk
    // is full) stops the run like an interrupt, then is rethrown.
    combined.addEventListener('abort', () => queue.clear(), { once: true });
    try {
      // Not awaiting `add()` itself: tasks dropped by `clear()` never settle.
      for (const task of tasks) {
        void queue
          .add(() => runTask(task))
          .catch((error: unknown) => {
            fatal ??= error;
            stopOnFatal.abort();
          });
      }
      await queue.onIdle();
    } finally {
      await lanes?.close();
      await pool.terminate();
    }
    if (fatal !== undefined) {
      await saver.flush().catch(() => {});
      throw fatal;
    }

    const interrupted = tasks.some((task) => !finished.has(task.slot));
    await saver.flush();
    const summary = summaryOf(!interrupted);
    await writeSummary(summaryPath, summary);
    emit({ type: 'end', summary, interrupted });
    return { summary, summaryPath, interrupted, failures };
  } finally {
    await unlock();
  }
}

interface ConvertOneOptions {
  item: Extract<Classified, { role: 'input' }>;
  output: string;
  outDir: string;
  key: (sha256: string) => string;
  before: SummaryEntry | undefined;
  retryFailed: boolean;
  convert: (path: string) => Promise<Doc>;
  signal: AbortSignal;
}

// One input: reuse the earlier result when the key matches, else convert and
// write. Returns undefined when the run was interrupted during this file.
async function convertOne(options: ConvertOneOptions): Promise<{ entry: SummaryEntry; error?: unknown } | undefined> {
  const { item, output, before } = options;
  const started = performance.now();
  const base = (): SummaryEntry => blankEntry({ input: item.display, output, status: 'failed', kind: item.kind });
  let sha256: string | null = null;
  try {
    sha256 = await sha256File(item.path);
    const key = options.key(sha256);
    if (before && before.key === key) {
      if (before.status === 'ok' && (await outputsIntact(options.outDir, before))) return { entry: { ...before, resumed: true } };
      if (before.status === 'failed' && !options.retryFailed) return { entry: { ...before, resumed: true } };
    }
    const doc = await options.convert(item.path);
    const slash = output.lastIndexOf('/');
    const written = await writeOutputs(doc, joinRel(options.outDir, output.slice(0, slash + 1)), output.slice(slash + 1));
    const outputs = [];
    for (const [extension, path] of [
      ['json', written.json],
      ['txt', written.txt],
      ['md', written.md],
    ] as const) {
      outputs.push({ path: `${output}.${extension}`, sha256: await sha256File(path) });
    }
    return {
      entry: {
        ...base(),
        ...docStats(doc),
        status: 'ok',
        seconds: round((performance.now() - started) / 1000, 2),
        sha256,
        key,
        outputs,
      },
    };
  } catch (error) {
    if (options.signal.aborted) return undefined;
    return {
      entry: {
        ...base(),
        kind: item.kind,
        seconds: round((performance.now() - started) / 1000, 2),
        sha256,
        key: sha256 === null ? null : options.key(sha256),
        error: describeError(error),
      },
      error,
    };
  }
}

function docStats(doc: Doc): Pick<SummaryEntry, 'kind' | 'pages' | 'confidence' | 'corrections' | 'lowConfidenceCorrections' | 'failedPages'> {
  const confidences = doc.pages.map((page) => page.confidence).filter((value): value is number => value !== null);
  return {
    kind: doc.source.kind,
    pages: doc.pages.length,
    confidence: confidences.length > 0 ? round(confidences.reduce((sum, value) => sum + value, 0) / confidences.length, 1) : null,
    corrections: doc.corrections.length,
    lowConfidenceCorrections: doc.corrections.filter((correction) => correction.review).length,
    failedPages: doc.pages
      .filter((page) => page.status === 'failed')
      .map((page) => ({ page: page.number, code: page.error?.code ?? 'OCR_FAILED', message: page.error?.message ?? 'page could not be read' })),
  };
}

function describeError(error: unknown): EntryError {
  if (isVnplanError(error)) return { code: error.code, page: error.page ?? null, message: error.message };
  return { code: 'INTERNAL', page: null, message: error instanceof Error ? error.message : String(error) };
}

// Reuse needs the outputs exactly as that run wrote them.
async function outputsIntact(outDir: string, entry: SummaryEntry): Promise<boolean> {
  if (entry.outputs.length === 0) return false;
  for (const output of entry.outputs) {
    const actual = await sha256File(joinRel(outDir, output.path)).catch(() => null);
    if (actual !== output.sha256) return false;
  }
  return true;
}

function skippedEntry(rel: string, reason: string): SummaryEntry {
  return { ...blankEntry({ input: rel, output: null, status: 'skipped', kind: null }), reason };
}

/** A summary entry with nothing done yet: every count zero, every result empty. */
function blankEntry(identity: Pick<SummaryEntry, 'input' | 'output' | 'status' | 'kind'>): SummaryEntry {
  return {
    ...identity,
    pages: 0,
    seconds: 0,
    confidence: null,
    corrections: 0,
    lowConfidenceCorrections: 0,
    failedPages: [],
    error: null,
    resumed: false,
    sha256: null,
    key: null,
    outputs: [],
  };
}

// Saves run one at a time; a save asked for while one runs is merged into
// the next, so many files finishing at once cost two writes, not many.
function coalescingSaver(write: () => Promise<void>): { save(): Promise<void>; flush(): Promise<void> } {
  let running: Promise<void> | undefined;
  let again = false;
  const loop = async (): Promise<void> => {
    do {
      again = false;
      await write();
    } while (again);
  };
  return {
    save() {
      if (running) {
        again = true;
        return running;
      }
      running = loop().finally(() => {
        running = undefined;
      });
      return running;
    },
    async flush() {
      while (running) await running;
    },
  };
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const queue = new PQueue({ concurrency: limit });
  return Promise.all(items.map((item) => queue.add(() => fn(item)) as Promise<R>));
}

function checkPositiveInteger(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new VnplanError('BAD_ARGS', `Expected a positive integer for \`${name}\` but received ${String(value)} (${typeof value})`);
  }
}
