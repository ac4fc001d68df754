/**
 * Batch: convert many files into one output folder with one shared OCR
 * pool, resumably, with progress and a summary.
 */
export { runBatch } from './run-batch.js';
export type { BatchEvent, BatchOptions, BatchResult } from './run-batch.js';
export { createProgress, fileLine, totalsTable } from './progress.js';
export type { Progress, ProgressMode, ProgressOptions } from './progress.js';
export { SUMMARY_FILE, SUMMARY_VERSION, computeTotals, readSummary } from './summary.js';
export type { EntryError, FailedPage, Summary, SummaryEntry, Totals } from './summary.js';
export { classify, findFiles, nameOutputs } from './walk.js';
export type { Classified, FoundFile, OutputName } from './walk.js';
export { fingerprintFolder, sha256File } from './hash.js';
