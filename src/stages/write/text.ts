import type { Doc } from '../../model/doc.js';

/**
 * Render a document as plain text: one line per printed line, in reading
 * order, each ending in a line feed; pages separated by a form feed (`\f`)
 * at the start of the next page, as pdftotext and Tesseract do. A table row
 * prints its `text` (cells joined by tabs). A failed page prints nothing, so
 * page numbers still line up by counting form feeds.
 */
export function renderText(doc: Doc): string {
  return doc.pages.map((page) => page.lines.map((line) => `${line.text}\n`).join('')).join('\f');
}
