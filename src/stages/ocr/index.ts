/**
 * OCR: recognize page images with tesseract.js (Vietnamese, offline) in a
 * pool of workers shared across pages and files.
 */
export { createOcrPool } from './pool.js';
export type { OcrPool, OcrPoolOptions, OcrImage, OcrContext, OcrResult } from './pool.js';
export { blocksToLines, meanConfidence } from './blocks-to-lines.js';
export { vieLangPath } from './lang-path.js';
export { orderLines } from './reading-order.js';
export { rereadTableCells, cellsToReread, gridCells } from './table-cells.js';
export type { TableCellOptions, GridCell, RereadReason } from './table-cells.js';
export { rereadSmallPrint, findSmallPrintBlock } from './small-print.js';
export type { SmallPrintOptions, SmallPrintBlock } from './small-print.js';
