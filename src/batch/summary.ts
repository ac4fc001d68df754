import { readFile } from 'node:fs/promises';
import type { SourceKind } from '../model/doc.js';
import { writeFilesAtomically } from '../stages/write/atomic.js';

/** Version of the summary layout; bumped when a field changes meaning. */
export const SUMMARY_VERSION = 1;

/** File name of the run summary inside the output folder. */
export const SUMMARY_FILE = 'vnplan-summary.json';

/** Why an input failed: the error code (see the README exit-code table), page if known, and message. */
export interface EntryError {
  code: string;
  page: number | null;
  message: string;
}

/** A page that could not be read in a file that was otherwise converted. */
export interface FailedPage {
  page: number;
  code: string;
  message: string;
}

/** One input of the run and what became of it. */
export interface SummaryEntry {
  /** Input path: relative to the folder walked (`/`-separated), or as given for a file named on the command line. */
  input: string;
  /** Output stem relative to the output folder (`a/b` → `a/b.json`, `.txt`, `.md`); null when skipped. */
  output: string | null;
  /** `ok`: outputs written; `failed`: see `error`; `skipped`: not a document (see `reason`). */
  status: 'ok' | 'failed' | 'skipped';
  /** Why a file was skipped. */
  reason?: string;
  /** Kind told from the content; null when unknown. */
  kind: SourceKind | null;
  /** Pages in the document (0 when it could not be opened). */
  pages: number;
  /** Wall-clock seconds spent converting and writing (when resumed: of the run that made it). */
  seconds: number;
  /** Mean OCR word confidence 0–100 over OCR pages; null when no page was OCR'd. */
  confidence: number | null;
  /** Corrections made by the repair stage. */
  corrections: number;
  /** Corrections flagged for review (low confidence). */
  lowConfidenceCorrections: number;
  /** Pages that could not be read (timeout, engine crash); the rest of the file was converted. */
  failedPages: FailedPage[];
  /** Why the whole file failed; null unless `status` is `failed`. */
  error: EntryError | null;
  /** True when this run reused the outputs (or failure) of an earlier run. */
  resumed: boolean;
  /** sha256 of the input; null when it could not be read. */
  sha256: string | null;
  /** Resume key: hash of input sha256 + file name + vnplan version + options + dictionaries fingerprint. */
  key: string | null;
  /** Output files (relative to the output folder) and their sha256, to verify before reuse. */
  outputs: Array<{ path: string; sha256: string }>;
}

/** Totals over the run, also printed as a table at the end. */
export interface Totals {
  files: number;
  ok: number;
  failed: number;
  skipped: number;
  /** Inputs whose earlier result was reused. */
  resumed: number;
  /** Inputs not finished because the run was interrupted. */
  pending: number;
  /** Pages of ok files. */
  pages: number;
  /** Pages converted by this run (not resumed). */
  pagesThisRun: number;
  failedPages: number;
  /** Wall-clock seconds of this run. */
  seconds: number;
  /** Pages converted by this run per wall-clock minute. */
  pagesPerMinute: number;
  /** Mean of the files' OCR confidence, weighted by pages; null when nothing was OCR'd. */
  confidence: number | null;
  corrections: number;
  lowConfidenceCorrections: number;
}

/** What `vnplan-summary.json` holds. */
export interface Summary {
  summaryVersion: typeof SUMMARY_VERSION;
  vnplanVersion: string;
  /** Options that change outputs (part of the resume key). */
  options: Record<string, unknown>;
  /** Fingerprint of the dictionaries folder (part of the resume key). */
  dictionaries: string;
  /** False while the run is going on or when it was interrupted. */
  complete: boolean;
  totals: Totals;
  files: SummaryEntry[];
}

/**
 * Read the summary of an earlier run, or null when there is none or it is
 * not a summary we understand (then everything is simply redone).
 */
export async function readSummary(path: string): Promise<Summary | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<Summary>;
    if (parsed.summaryVersion !== SUMMARY_VERSION || !Array.isArray(parsed.files)) return null;
    return parsed as Summary;
  } catch {
    return null;
  }
}

/**
 * Write the summary atomically (temporary sibling, then rename), so a kill
 * at any moment leaves the previous complete summary or the new one.
 */
export async function writeSummary(path: string, summary: Summary): Promise<void> {
  await writeFilesAtomically([[path, `${JSON.stringify(summary, null, 2)}\n`]]);
}

/**
 * Compute the totals of a list of entries.
 *
 * @param entries All entries of the run (resumed ones included).
 * @param seconds Wall-clock seconds of this run.
 * @param pending Inputs not finished (interrupted run).
 */
export function computeTotals(entries: readonly SummaryEntry[], seconds: number, pending: number): Totals {
  let confidenceSum = 0;
  let confidencePages = 0;
  const totals: Totals = {
    files: entries.length + pending,
    ok: 0,
    failed: 0,
    skipped: 0,
    resumed: 0,
    pending,
    pages: 0,
    pagesThisRun: 0,
    failedPages: 0,
    seconds: round(seconds, 2),
    pagesPerMinute: 0,
    confidence: null,
    corrections: 0,
    lowConfidenceCorrections: 0,
  };
  for (const entry of entries) {
    totals[entry.status]++;
    if (entry.resumed) totals.resumed++;
    if (entry.status !== 'ok') continue;
    totals.pages += entry.pages;
    if (!entry.resumed) totals.pagesThisRun += entry.pages;
    totals.failedPages += entry.failedPages.length;
    totals.corrections += entry.corrections;
    totals.lowConfidenceCorrections += entry.lowConfidenceCorrections;
    if (entry.confidence !== null) {
      confidenceSum += entry.confidence * entry.pages;
      confidencePages += entry.pages;
    }
  }
  totals.confidence = confidencePages > 0 ? round(confidenceSum / confidencePages, 1) : null;
  totals.pagesPerMinute = seconds > 0 ? round((totals.pagesThisRun / seconds) * 60, 1) : 0;
  return totals;
}

/** Round to `digits` decimals. */
export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
