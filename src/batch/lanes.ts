import { Worker } from 'node:worker_threads';
import type { Doc } from '../model/doc.js';
import { VnplanError } from '../errors.js';
import type { OcrPool } from '../stages/ocr/index.js';
import type { FromFileWorker, ToFileWorker } from './file-worker.js';
import { fromWire, toWire } from './wire.js';

/** Options of `createLanes`. */
export interface LaneOptions {
  /** Files converted at once, each in its own worker thread. */
  readonly lanes: number;
  /** The run's shared OCR pool (main thread). */
  readonly pool: OcrPool;
  /** Per-page OCR time limit, ms. */
  readonly pageTimeoutMs: number;
  /** Aborts every file in progress. */
  readonly signal: AbortSignal;
  /** Replace a file worker after this many files, so its heap cannot grow for a whole run. @default 25 */
  readonly recycleAfterFiles?: number;
}

/** Converts files in worker threads. */
export interface Lanes {
  /**
   * Convert one file in a free lane (call at most `lanes` at once).
   * @throws what `convertFile` throws, rebuilt across the thread boundary.
   */
  convert(path: string, onPage: (event: { page: number; pageCount: number; status: 'ok' | 'failed' }) => void): Promise<Doc>;
  /** Stop every worker thread. */
  close(): Promise<void>;
}

interface Lane {
  worker: Worker;
  files: number;
}

/**
 * Lanes for a batch: `-j N` gives N lanes, each one file at a time, each
 * file page by page (look-ahead 1: a page is prepared, OCR'd in the shared
 * pool, then the next is prepared). So a lane keeps about one core busy,
 * alternating between its worker thread and an OCR worker, and N lanes keep
 * N cores busy: the main thread, which only routes messages and writes
 * files, is no longer the bottleneck it is when it rasterizes and
 * preprocesses every page itself (profiled: more CPU than OCR per page).
 */
export function createLanes(options: Readonly<LaneOptions>): Lanes {
  const recycleAfterFiles = options.recycleAfterFiles ?? 25;
  const idle: Lane[] = [];
  const all = new Set<Lane>();

  const start = (): Lane => {
    const worker = new Worker(new URL('./file-worker.js', import.meta.url), { workerData: { poolSize: options.pool.size } });
    const lane = { worker, files: 0 };
    all.add(lane);
    return lane;
  };
  const stop = (lane: Lane): void => {
    all.delete(lane);
    void lane.worker.terminate().catch(() => {});
  };

  return {
    convert(path, onPage) {
      if (options.signal.aborted) return Promise.reject(new VnplanError('INTERRUPTED', 'interrupted', { path }));
      const lane = idle.pop() ?? start();
      const { worker } = lane;
      return new Promise<Doc>((resolve, reject) => {
        let settled = false;
        const finish = (outcome: () => void, reusable: boolean) => {
          if (settled) return;
          settled = true;
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
          options.signal.removeEventListener('abort', onAbort);
          lane.files++;
          if (reusable && lane.files < recycleAfterFiles && !options.signal.aborted) idle.push(lane);
          else stop(lane);
          outcome();
        };
        const onMessage = (message: FromFileWorker) => {
          switch (message.type) {
            case 'ocr':
              options.pool.recognize(message.image, { ...message.context, signal: options.signal }).then(
                (result) => worker.postMessage({ type: 'ocr-result', requestId: message.requestId, result } satisfies ToFileWorker),
                (error: unknown) => worker.postMessage({ type: 'ocr-result', requestId: message.requestId, error: toWire(error) } satisfies ToFileWorker),
              );
              break;
            case 'page':
              onPage(message);
              break;
            case 'done':
              finish(() => resolve(message.doc as Doc), true);
              break;
            case 'failed':
              finish(() => reject(fromWire(message.error)), true);
              break;
          }
        };
        // A crashed thread (a native library failing, out of memory) fails
        // this file only; the lane gets a fresh thread.
        const onError = (error: Error) => finish(() => reject(new VnplanError('INTERNAL', `the conversion thread crashed (${error.message})`, { path, cause: error })), false);
        const onExit = (code: number) => finish(() => reject(new VnplanError('INTERNAL', `the conversion thread exited (code ${code})`, { path })), false);
        const onAbort = () => worker.postMessage({ type: 'abort' } satisfies ToFileWorker);
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        options.signal.addEventListener('abort', onAbort, { once: true });
        worker.postMessage({ type: 'convert', path, pageTimeoutMs: options.pageTimeoutMs, lookahead: 1 } satisfies ToFileWorker);
      });
    },
    async close() {
      idle.length = 0;
      await Promise.all([...all].map((lane) => lane.worker.terminate().catch(() => {})));
      all.clear();
    },
  };
}
