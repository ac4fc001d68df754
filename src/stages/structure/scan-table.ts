import type { Page } from '../../model/doc.js';

/**
 * Replace the OCR lines inside each ruled table of a scanned page with one
 * `table-row` line per table row (cells in column order).
 * To do: placeholder until cell placement lands (returns the page unchanged).
 */
export function rebuildTableRows(page: Page): Page {
  return page;
}
