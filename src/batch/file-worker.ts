/**
 * A worker thread that converts one file at a time for the batch (see
 * `lanes.ts`): rasterizing, preprocessing, repair and structure run here,
 * on their own core, while OCR goes back to the run's one shared pool in
 * the main thread through messages.
 */
import { setMaxListeners } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import { VnplanError } from '../errors.js';
import { convertFile } from '../pipeline.js';
import type { OcrContext, OcrImage, OcrPool, OcrResult } from '../stages/ocr/index.js';
import { fromWire, toWire, type WireError } from './wire.js';

/** Messages the main thread sends to a file worker. */
export type ToFileWorker =
  | { type: 'convert'; path: string; pageTimeoutMs: number; lookahead: number }
  | { type: 'abort' }
  | { type: 'ocr-result'; requestId: number; result?: OcrResult; error?: WireError };

/** Messages a file worker sends to the main thread. */
export type FromFileWorker =
  | { type: 'ocr'; requestId: number; image: OcrImage; context: Omit<OcrContext, 'signal'> }
  | { type: 'page'; page: number; pageCount: number; status: 'ok' | 'failed' }
  | { type: 'done'; doc: unknown }
  | { type: 'failed'; error: WireError };

const port = parentPort;
if (!port) throw new Error('file-worker.js runs as a worker thread only');
const poolSize = (workerData as { poolSize: number }).poolSize;
const send = (message: FromFileWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

let nextRequest = 0;
const waiting = new Map<number, { resolve: (result: OcrResult) => void; reject: (error: Error) => void }>();
let controller = new AbortController();

// The shared pool, seen from this thread: each page is posted to the main
// thread and its result posted back.
const pool: OcrPool = {
  size: poolSize,
  recognize(image, context = {}) {
    return new Promise<OcrResult>((resolve, reject) => {
      const requestId = nextRequest++;
      // A file may have hundreds of requests (pages, table cells) on one
      // signal: each listener goes as soon as its request settles.
      const onAbort = () => {
        waiting.delete(requestId);
        reject(new VnplanError('INTERRUPTED', 'interrupted', { path: context.path, page: context.page }));
      };
      const settle = () => context.signal?.removeEventListener('abort', onAbort);
      waiting.set(requestId, {
        resolve: (result) => (settle(), resolve(result)),
        reject: (error) => (settle(), reject(error)),
      });
      // A copy we own can be moved to the main thread without copying again.
      const data = new Uint8Array(image.data);
      const { signal: _signal, ...wireContext } = context;
      send({ type: 'ocr', requestId, image: { data, dpi: image.dpi }, context: wireContext }, [data.buffer as ArrayBuffer]);
      context.signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
  async terminate() {},
};

port.on('message', (message: ToFileWorker) => {
  switch (message.type) {
    case 'convert': {
      controller = new AbortController();
      // Every OCR request in flight (a page's table cells are many) listens
      // to this signal until it settles; that is not a leak.
      setMaxListeners(0, controller.signal);
      convertFile(message.path, {
        ocrPool: pool,
        pageTimeoutMs: message.pageTimeoutMs,
        lookahead: message.lookahead,
        signal: controller.signal,
        onPage: (event) => send({ type: 'page', page: event.page, pageCount: event.pageCount, status: event.status }),
      }).then(
        (doc) => send({ type: 'done', doc }),
        (error: unknown) => send({ type: 'failed', error: toWire(error) }),
      );
      break;
    }
    case 'abort':
      controller.abort();
      break;
    case 'ocr-result': {
      const request = waiting.get(message.requestId);
      waiting.delete(message.requestId);
      if (!request) break;
      if (message.error) request.reject(fromWire(message.error));
      else request.resolve(message.result!);
      break;
    }
  }
});
