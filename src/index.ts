/**
 * vnplan as a library: convert scanned Vietnamese plans into text and JSON.
 *
 * @example
 * import { convertFile, writeOutputs } from 'vnplan';
 * const doc = await convertFile('ke-hoach.pdf');
 * await writeOutputs(doc, 'out', 'ke-hoach');
 */
export { convertFile, convertFile as convert, VERSION } from './pipeline.js';
export type { ConvertOptions, PageEvent } from './pipeline.js';
export { ingest, detectKind, decodeUtf8, textToPages } from './stages/ingest/index.js';
export type { IngestedFile } from './stages/ingest/index.js';
export { openPages, runsToLines, countTextDraws } from './stages/rasterize/index.js';
export type { RasterizeOptions, PageReader, PageSource, RasterInput, RawImage, EncodedImage } from './stages/rasterize/index.js';
export { preprocess, estimateSkew, findTableGrids, binarizeSauvola, despeckle } from './stages/preprocess/index.js';
export type { PreprocessOptions, PreparedPage, GrayImage, SkewOptions, SauvolaOptions, DespeckleOptions } from './stages/preprocess/index.js';
export { createOcrPool, blocksToLines, meanConfidence, orderLines, vieLangPath } from './stages/ocr/index.js';
export type { OcrPool, OcrPoolOptions, OcrImage, OcrContext, OcrResult } from './stages/ocr/index.js';
export { repair } from './stages/repair/index.js';
export { structure } from './stages/structure/index.js';
export { writeOutputs, renderJson, renderText, renderMarkdown, writeFilesAtomically } from './stages/write/index.js';
export type { WrittenOutputs } from './stages/write/index.js';
export { VnplanError, isVnplanError, EXIT_CODES } from './errors.js';
export type { ErrorCode, VnplanErrorOptions } from './errors.js';
export type { Stage } from './model/stage.js';
export type { Doc, Page, Line, Word, Bbox, TableGrid, Correction, Place, Source, SourceKind, Notice } from './model/doc.js';
export { SCHEMA_VERSION } from './model/doc.js';
