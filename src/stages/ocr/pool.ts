import { availableParallelism } from 'node:os';
import PQueue from 'p-queue';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import type { Line } from '../../model/doc.js';
import { VnplanError, isVnplanError } from '../../errors.js';
import { blocksToLines, meanConfidence, type TessBlock } from './blocks-to-lines.js';
import { vieLangPath } from './lang-path.js';

/** Options of `createOcrPool`. */
export interface OcrPoolOptions {
  /** Number of Tesseract workers (threads), each OCRing one page at a time. @default os.availableParallelism() */
  readonly workers?: number;
  /**
   * Replace a worker after it has read this many pages. tesseract.js's WASM
   * heap only grows, and a worker carries adaptive state from page to page, so
   * long runs recycle. @default 40
   */
  readonly recycleAfterPages?: number;
  /**
   * Give up on a page after this many milliseconds: the worker is killed and
   * replaced and the page fails with `OCR_TIMEOUT`. @default 180000 (OCRmyPDF's default)
   */
  readonly pageTimeoutMs?: number;
  /** Milliseconds allowed for starting a worker (loading the model). @default 120000 */
  readonly startTimeoutMs?: number;
}

/** An image ready for Tesseract: an encoded file (PNG, PNM, JPEG, TIFF) and its resolution. */
export interface OcrImage {
  /** Encoded image bytes (Leptonica decodes them inside the worker). */
  readonly data: Uint8Array;
  /** Resolution, dots per inch; given to Tesseract as `user_defined_dpi`. */
  readonly dpi: number;
}

/** Where a page comes from, for error messages and per-call limits. */
export interface OcrContext {
  /** Input file (for messages). */
  readonly path?: string;
  /** 1-based page number (for messages). */
  readonly page?: number;
  /** Overrides the pool's `pageTimeoutMs` for this page. */
  readonly timeoutMs?: number;
  /** Abort waiting for (or running) this page. */
  readonly signal?: AbortSignal;
  /**
   * Tesseract page segmentation mode for this image: '6' (one block of text,
   * what Tesseract's API and so tesseract.js start in: every figure in
   * BENCHMARKS.md was measured with it; reading order and columns are ours,
   * see `orderLines`), '3' (Tesseract's own layout analysis) or '7' (one line).
   * @default '6'
   */
  readonly pageSegMode?: '3' | '6' | '7';
  /**
   * What fraction of a page's work this image is (a table cell crop is a
   * few hundredths), for recycling workers every `recycleAfterPages` pages.
   * @default 1
   */
  readonly pageShare?: number;
}

/** What OCR found on one page. */
export interface OcrResult {
  /** Printed lines in reading order, each with its words (text, box, confidence). */
  lines: Line[];
  /** Mean word confidence 0–100, or null when no word was found. */
  confidence: number | null;
}

/** A pool of Tesseract workers shared by every page of every file in a run. */
export interface OcrPool {
  /** Number of workers. */
  readonly size: number;
  /**
   * OCR one page. Pages queue (FIFO) until a worker is free.
   * @throws {VnplanError} `OCR_TIMEOUT` or `OCR_FAILED` for this page only; the pool stays usable.
   */
  recognize(image: OcrImage, context?: OcrContext): Promise<OcrResult>;
  /** Stop every worker; resolves when no page is left. Pending pages fail with `INTERRUPTED`. Safe to call twice. */
  terminate(): Promise<void>;
}

interface Slot {
  worker: Worker | undefined;
  pages: number;
  dpi: number | undefined;
  pageSegMode: string;
}

/**
 * Create a pool of tesseract.js workers reading Vietnamese, fully offline:
 * the model comes from `@tesseract.js-data/vie` in node_modules, nothing is
 * cached in the working folder (`cacheMethod: 'none'`). Workers start lazily,
 * on the first page that needs one. Every worker has an `errorHandler`
 * (without one a failed job throws from tesseract.js's message handler and
 * kills the process), every page has a timeout (tesseract.js can hang), and
 * workers are recycled every `recycleAfterPages` pages.
 *
 * Always call `terminate()`, or the worker threads keep Node alive.
 *
 * @throws {VnplanError} `BAD_ARGS` for an invalid option.
 */
export function createOcrPool(options: Readonly<OcrPoolOptions> = {}): OcrPool {
  const size = options.workers ?? availableParallelism();
  const recycleAfterPages = options.recycleAfterPages ?? 40;
  const pageTimeoutMs = options.pageTimeoutMs ?? 180_000;
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  checkInteger('workers', size, 1, 256);
  checkInteger('recycleAfterPages', recycleAfterPages, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('pageTimeoutMs', pageTimeoutMs, 1, 24 * 3600_000);
  checkInteger('startTimeoutMs', startTimeoutMs, 1, 24 * 3600_000);

  const langPath = vieLangPath();
  const queue = new PQueue({ concurrency: size });
  const idle: Slot[] = Array.from({ length: size }, () => ({ worker: undefined, pages: 0, dpi: undefined, pageSegMode: '6' }));
  const busy = new Set<Slot>();
  let terminated = false;

  // tesseract.js reports a failed job both by rejecting its promise and by
  // calling errorHandler; the rejection is what we act on, so this only
  // keeps the library from throwing inside its message handler.
  const errorHandler = (): void => {};

  async function startWorker(): Promise<Worker> {
    const starting = createWorker('vie', OEM.LSTM_ONLY, {
      langPath,
      cacheMethod: 'none',
      gzip: true,
      errorHandler,
    });
    const worker = await withTimeout(starting, startTimeoutMs, () => {
      void starting.then((late) => late.terminate()).catch(() => {});
      return new VnplanError('OCR_FAILED', `the OCR engine did not start within ${startTimeoutMs} ms`);
    });
    // Tesseract prints notes such as "Detected 168 diacritics" on stdout,
    // which is the user's (and may be a pipe); its debug file takes them.
    // The segmentation mode is set, not assumed: slots start out as '6'.
    await worker.setParameters({ debug_file: '/dev/null', tessedit_pageseg_mode: '6' } as never);
    return worker;
  }

  function discard(slot: Slot): void {
    const worker = slot.worker;
    slot.worker = undefined;
    slot.pages = 0;
    slot.dpi = undefined;
    slot.pageSegMode = '6';
    if (worker) void worker.terminate().catch(() => {});
  }

  async function run(slot: Slot, image: OcrImage, context: OcrContext): Promise<OcrResult> {
    if (!slot.worker) {
      const started = await startWorker();
      // terminate() may have run while the model was loading.
      if (terminated) {
        void started.terminate().catch(() => {});
        throw new VnplanError('INTERRUPTED', 'the OCR pool was terminated');
      }
      slot.worker = started;
    }
    const worker = slot.worker;
    const timeoutMs = context.timeoutMs ?? pageTimeoutMs;
    const dpi = String(Math.round(image.dpi));
    // After a timeout the slot is given a fresh worker: a job still running
    // must neither touch the terminated worker nor record settings on the slot.
    const current = () => {
      if (slot.worker !== worker) throw new VnplanError('OCR_TIMEOUT', 'the OCR worker was replaced');
    };
    const job = (async () => {
      if (slot.dpi !== image.dpi) {
        await worker.setParameters({ user_defined_dpi: dpi });
        current();
        slot.dpi = image.dpi;
      }
      const pageSegMode = context.pageSegMode ?? '6';
      if (slot.pageSegMode !== pageSegMode) {
        await worker.setParameters({ tessedit_pageseg_mode: pageSegMode as never });
        current();
        slot.pageSegMode = pageSegMode;
      }
      return worker.recognize(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {}, {
        text: false,
        blocks: true,
      });
    })();
    // Settled by the timeout first, the job may still fail later: not unhandled.
    job.catch(() => {});
    const result = await withTimeout(
      watchThread(worker, job),
      timeoutMs,
      () => new VnplanError('OCR_TIMEOUT', `OCR did not finish within ${timeoutMs} ms; page left without text`),
      context.signal,
    ).catch((error: unknown) => {
      // A worker that timed out, died or failed may be wedged: replace it.
      discard(slot);
      throw error;
    });
    // Counted as whole pages, the cells of a few table pages would restart
    // the worker (a model load) every page.
    slot.pages += Math.min(1, Math.max(0, context.pageShare ?? 1));
    if (slot.pages >= recycleAfterPages) discard(slot);
    const lines = blocksToLines(result.data.blocks as unknown as TessBlock[] | null);
    return { lines, confidence: meanConfidence(lines) };
  }

  return {
    size,
    async recognize(image, context = {}) {
      const where = { path: context.path, page: context.page };
      if (terminated) throw new VnplanError('INTERRUPTED', 'the OCR pool was terminated', where);
      return queue.add(async () => {
        // Pages still queued when the pool is terminated or the run is
        // aborted settle here, as soon as they reach the front.
        if (terminated) throw new VnplanError('INTERRUPTED', 'the OCR pool was terminated', where);
        if (context.signal?.aborted) throw new VnplanError('INTERRUPTED', 'interrupted', where);
        const slot = idle.pop()!;
        busy.add(slot);
        try {
          return await run(slot, image, context);
        } catch (error) {
          if (isVnplanError(error)) throw new VnplanError(error.code, error.message, { ...where, cause: error.cause });
          if (terminated || context.signal?.aborted) throw new VnplanError('INTERRUPTED', 'interrupted', { ...where, cause: error });
          throw new VnplanError('OCR_FAILED', `OCR failed (tesseract: ${describe(error)})`, { ...where, cause: error });
        } finally {
          busy.delete(slot);
          idle.push(slot);
        }
      }) as Promise<OcrResult>;
    },
    async terminate() {
      terminated = true;
      // Running pages fail when their thread exits (watchThread); queued
      // ones fail when they start. Nothing is left hanging.
      for (const slot of [...idle, ...busy]) discard(slot);
      await queue.onIdle();
    },
  };
}

// tesseract.js does not settle a job when its worker thread dies
// (naptha/tesseract.js#654): watch the thread and fail the job ourselves.
function watchThread<T>(worker: Worker, job: Promise<T>): Promise<T> {
  const thread = (worker as unknown as { worker?: NodeJS.EventEmitter }).worker;
  if (!thread || typeof thread.once !== 'function') return job;
  return new Promise<T>((resolve, reject) => {
    const onExit = (code: unknown) => reject(new Error(`worker thread exited (code ${String(code)})`));
    const onError = (error: unknown) => reject(error);
    thread.once('exit', onExit);
    thread.once('error', onError);
    job.then(resolve, reject).finally(() => {
      thread.off('exit', onExit);
      thread.off('error', onError);
    });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new VnplanError('INTERRUPTED', 'interrupted'));
    const timer = setTimeout(() => reject(onTimeout()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    });
  });
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

function checkInteger(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new VnplanError(
      'BAD_ARGS',
      `Expected integer between ${min} and ${max} for \`${name}\` but received ${String(value)} (${typeof value})`,
    );
  }
}
