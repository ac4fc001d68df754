/**
 * The whole conversion of one file: ingest → rasterize → preprocess → OCR →
 * repair → structure. Pages stream through: a page is rasterized,
 * preprocessed and handed to the OCR pool before the next is rasterized, and
 * only `lookahead` pages per file may wait in OCR at once, so memory does not
 * grow with the page count.
 */
import { readFileSync } from 'node:fs';
import type { Doc, Notice, Page } from './model/doc.js';
import { SCHEMA_VERSION } from './model/doc.js';
import type { Stage } from './model/stage.js';
import { VnplanError, isVnplanError } from './errors.js';
import { ingest } from './stages/ingest/index.js';
import { openPages, type PageSource } from './stages/rasterize/index.js';
import { preprocess, type PreprocessOptions } from './stages/preprocess/index.js';
import { createOcrPool, orderLines, rereadSmallPrint, rereadTableCells, type OcrPool } from './stages/ocr/index.js';
import { repair } from './stages/repair/index.js';
import { isRecipientsLabel, structure } from './stages/structure/index.js';

/** Progress report for one finished page. */
export interface PageEvent {
  /** Input file. */
  path: string;
  /** 1-based page number. */
  page: number;
  /** Pages in the file. */
  pageCount: number;
  /** How the page was read (`undefined` when it failed before that was known). */
  origin?: Page['origin'];
  /** `failed` pages carry `error`. */
  status: Page['status'];
  /** Why the page failed. */
  error?: VnplanError;
}

/** Options of `convertFile`. */
export interface ConvertOptions {
  /**
   * OCR pool to use (share one across files). When absent, one is created
   * on the first scanned page and terminated before `convertFile` returns.
   */
  readonly ocrPool?: OcrPool;
  /** Workers of the pool created when `ocrPool` is absent. @default os.availableParallelism() */
  readonly workers?: number;
  /** Resolution for rasterizing image-only PDF pages, dpi (72–600). @default 300 */
  readonly dpi?: number;
  /** Per-page OCR time limit, ms; a page over it fails with `OCR_TIMEOUT`, the rest go on. @default 180000 */
  readonly pageTimeoutMs?: number;
  /** Pages of this file allowed to wait in OCR at once. @default pool size + 1 */
  readonly lookahead?: number;
  /** Stop early: the conversion rejects with `INTERRUPTED`. */
  readonly signal?: AbortSignal;
  /** Called after each page is done (in page order). */
  readonly onPage?: (event: PageEvent) => void;
  /** Preprocessing switches (see `PreprocessOptions`). */
  readonly preprocess?: Readonly<PreprocessOptions>;
  /** Repair stage; `null` skips it. @default `repair()`, created once per process */
  readonly repair?: Stage | null;
  /** Structure stage; `null` skips it. @default `structure()`, created once per process */
  readonly structure?: Stage | null;
}

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** vnplan's version, as written in `doc.generator`. */
export const VERSION: string = packageJson.version;

/**
 * Convert one input file (PDF, PNG, JPEG, TIFF or UTF-8 text) into a `Doc`.
 *
 * A page that cannot be read (OCR timeout or crash, a damaged PDF page) is
 * kept with `status: 'failed'` and its error, and the other pages go on; the
 * file fails as a whole only when it cannot be opened, or when every page
 * failed.
 *
 * @param path Input file.
 * @returns The document; write it with `writeOutputs`.
 * @throws {VnplanError} Input errors (`INPUT_*`, `PDF_ENCRYPTED`), `OCR_FAILED`
 *   / `OCR_TIMEOUT` when no page could be read, `INTERRUPTED` on abort.
 */
export async function convertFile(path: string, options: Readonly<ConvertOptions> = {}): Promise<Doc> {
  const dpi = options.dpi ?? 300;
  if (!Number.isInteger(dpi) || dpi < 72 || dpi > 600) {
    throw new VnplanError('BAD_ARGS', `Expected integer between 72 and 600 for \`dpi\` but received ${String(dpi)} (${typeof dpi})`);
  }
  const signal = options.signal;
  const checkAbort = () => {
    if (signal?.aborted) throw new VnplanError('INTERRUPTED', 'interrupted', { path });
  };
  checkAbort();

  const file = await ingest(path);
  const reader = await openPages(file, { dpi });
  let ownPool: OcrPool | undefined;
  const pool = (): OcrPool => {
    if (options.ocrPool) return options.ocrPool;
    ownPool ??= createOcrPool({
      workers: options.workers,
      pageTimeoutMs: options.pageTimeoutMs,
    });
    return ownPool;
  };

  const pages: Page[] = [];
  const notices: Notice[] = [];
  const scanDpis: number[] = [];
  // Pages finish out of order in the pool; events are reported in order.
  let reported = 0;
  const report = () => {
    while (reported < pages.length && pages[reported] !== undefined) {
      const page = pages[reported];
      options.onPage?.({
        path,
        page: page.number,
        pageCount: reader.pageCount,
        origin: page.status === 'ok' ? page.origin : undefined,
        status: page.status,
        error: page.status === 'failed' ? pageErrors.get(page.number) : undefined,
      });
      reported++;
    }
  };
  const pageErrors = new Map<number, VnplanError>();
  const fail = (number: number, error: unknown, origin: Page['origin']): Page => {
    const failure = asPageError(error, path, number);
    pageErrors.set(number, failure);
    return { number, origin, confidence: null, lines: [], status: 'failed', error: { code: failure.code, message: failure.message } };
  };

  const inFlight = new Set<Promise<void>>();
  try {
    for await (const source of reader.pages()) {
      checkAbort();
      const index = source.number - 1;
      if (source.kind === 'text') {
        const page = source.page;
        pages[index] = page.origin === 'text-layer' ? { ...page, lines: orderLines(page.lines, page.width ?? 0) } : page;
      } else if (source.kind === 'failed') {
        pages[index] = fail(source.number, source.error, 'ocr');
      } else {
        const ocrPool = pool();
        const lookahead = options.lookahead ?? ocrPool.size + 1;
        if (source.dpiAssumed) {
          notices.push({ code: 'DPI_ASSUMED', message: `no usable resolution in the image; assumed ${source.dpi} dpi`, page: source.number });
        } else if (source.dpi < 200 && file.kind !== 'pdf') {
          notices.push({ code: 'LOW_DPI', message: `scanned at ${source.dpi} dpi; 300 dpi reads better (200 is the archival minimum)`, page: source.number });
        }
        scanDpis.push(source.dpi);
        const number = source.number;
        const task = ocrPage(source, ocrPool).then(
          (page) => {
            pages[index] = page;
          },
          (error: unknown) => {
            pages[index] = fail(number, error, 'ocr');
          },
        );
        const tracked = task.finally(() => {
          inFlight.delete(tracked);
          report();
        });
        inFlight.add(tracked);
        // Bounded look-ahead: wait for a slot before rasterizing more.
        while (inFlight.size >= lookahead) await Promise.race(inFlight);
      }
      report();
    }
    await Promise.all(inFlight);
    checkAbort();
  } finally {
    await Promise.allSettled(inFlight);
    await reader.close();
    if (ownPool) await ownPool.terminate();
  }
  report();

  // Only what OCR needs outlives preprocessing: the page's pixels are let go
  // as soon as the gray image exists, so in-flight pages stay small.
  function ocrPage(source: Extract<PageSource, { kind: 'image' }>, ocrPool: OcrPool): Promise<Page> {
    const { number, dpi } = source;
    const prepared = preprocess(source.image, dpi, options.preprocess);
    return prepared.then(async ({ encoded, gray: { width, height }, dpi: ocrDpi, skewDegrees, tables }) => {
      const image = { data: encoded, dpi: ocrDpi };
      const context = { path, page: number, timeoutMs: options.pageTimeoutMs, signal };
      const result = await ocrPool.recognize(image, context);
      // Table cells page OCR read badly (empty, unsure, across a rule) are read again on their own.
      if (tables.length > 0) result.lines = await rereadTableCells(result.lines, image, tables, ocrPool, context);
      // The Nơi nhận block is small print: read again enlarged (src/stages/ocr/small-print.ts).
      result.lines = await rereadSmallPrint(result.lines, image, ocrPool, context, { isLabel: isRecipientsLabel });
      return {
        number,
        origin: 'ocr',
        width,
        height,
        dpi: ocrDpi,
        skewDegrees,
        confidence: result.confidence,
        lines: orderLines(result.lines, width, tables),
        tables,
        status: 'ok',
      } satisfies Page;
    });
  }

  const failed = pages.filter((page) => page.status === 'failed');
  if (pages.length > 0 && failed.length === pages.length) {
    const first = pageErrors.get(failed[0].number)!;
    throw new VnplanError(first.code, pages.length === 1 ? first.message : `no page could be read; page ${first.page}: ${first.message}`, {
      path,
      page: pages.length === 1 ? first.page : undefined,
      cause: first,
    });
  }
  for (const page of failed) {
    notices.push({ code: page.error!.code, message: page.error!.message, page: page.number });
  }

  let doc: Doc = {
    schemaVersion: SCHEMA_VERSION,
    generator: { name: 'vnplan', version: VERSION },
    source: {
      fileName: file.fileName,
      sha256: file.sha256,
      kind: file.kind,
      pageCount: pages.length,
      dpi: mostCommon(scanDpis),
    },
    pages,
    corrections: [],
    structure: null,
    notices: notices.sort((left, right) => (left.page ?? 0) - (right.page ?? 0)),
  };
  for (const name of ['repair', 'structure'] as const) {
    const stage = options[name] === undefined ? defaultStage(name) : options[name];
    if (stage) {
      checkAbort();
      doc = await stage(doc);
    }
  }
  return doc;
}

function asPageError(error: unknown, path: string, page: number): VnplanError {
  if (isVnplanError(error)) return new VnplanError(error.code, error.message, { path, page, cause: error.cause });
  return new VnplanError('INTERNAL', `unexpected failure (${error instanceof Error ? error.message : String(error)})`, {
    path,
    page,
    cause: error,
  });
}

function mostCommon(values: number[]): number | null {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: number | null = null;
  let bestCount = 0;
  for (const [value, count] of counts) if (count > bestCount) [best, bestCount] = [value, count];
  return best;
}

// The default repair and structure stages load their models once per
// process, on first use: building them per file would reload the
// dictionary and language model for every input of a batch.
const defaultStages: { repair?: Stage; structure?: Stage } = {};

function defaultStage(name: 'repair' | 'structure'): Stage {
  return (defaultStages[name] ??= name === 'repair' ? repair() : structure());
}
