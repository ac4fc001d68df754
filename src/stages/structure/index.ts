/**
 * The structure stage: reads the (repaired) page lines of a document and fills
 * `doc.structure` with its metadata, section tree, cited documents and phụ lục
 * tables. Pure over `Doc`: no I/O, input never mutated.
 *
 * A file may hold several documents: a Quyết định followed by the Kế hoạch it
 * issues. The first is the main document; the others are `attached`.
 */
import type { Doc } from '../../model/doc.js';
import type { Stage } from '../../model/stage.js';
import type { Citation, Part, Reference, Structure } from '../../model/structure.js';
import { fold, upperRatio } from './fold.js';
import { flattenPages, isBlank, type Block, type SourceLine } from './lines.js';
import { appendixLabel, parseAppendices } from './appendices.js';
import { cutMotto, isAttachedToStart, isOperativeLine, isRecipientsLabel, parseHeader, parseTail, readNumber, readPlaceDate, typeLine } from './metadata.js';
import { findCitations, mergeReferences, type Found } from './references.js';
import { buildSectionTree } from './sections.js';
import { rebuildTableRows } from './scan-table.js';
import { normalizeMetadata } from './normalize.js';

export { appendixLabel, parseAppendices, recoverColumnText } from './appendices.js';
export { cellText, assembleTable, mergeCell } from './tables.js';
export { cutMotto, isRecipientsLabel, parseHeader, parseTail, readIssuer, readNumber, readPlaceDate, typeLine } from './metadata.js';
export { findCitations, isoDate, mergeReferences } from './references.js';
export { buildSectionTree, recoverNumber } from './sections.js';
export { parseMarker, lenientRoman, romanValue, toRoman } from './markers.js';
export { flattenPages, linesFromText, toBlocks, type SourceLine, type Block } from './lines.js';
export { fold } from './fold.js';

/** Options of the structure stage. */
export interface StructureOptions {
  /**
   * Rebuild the rows of ruled tables on scanned pages (`rebuildTableRows`)
   * before reading the structure, and keep the rebuilt lines in the output
   * pages so the text outputs print one table row per line (default: `true`).
   */
  readonly rebuildTables?: boolean;
}

const emptyOptions: StructureOptions = {};

const AUTHORITY_LINE = /^\s*(TM|KT|TL|TUQ|Q)\s*\.\s+\S/;

/**
 * Split the lines of a file into documents: a new one starts at a type line
 * (`KẾ HOẠCH`) or a national motto once the previous document has reached its
 * signature or recipients, or at a type line followed by a
 * `(Ban hành kèm theo …)` note.
 *
 * @param lines All lines in reading order.
 * @returns Start index of each document.
 */
export function splitDocuments(lines: readonly SourceLine[]): number[] {
  const starts = [0];
  let tail = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.cells || isBlank(l)) continue;
    const text = l.text.trim();
    if (isRecipientsLabel(text) || AUTHORITY_LINE.test(fold(text))) {
      tail = true;
      continue;
    }
    const type = typeLine(text);
    const motto = cutMotto(text).motto !== null && upperRatio(text) >= 0.6;
    if (!type && !motto) continue;
    const soon = lines.slice(i + 1, i + 8).filter((x) => !isBlank(x));
    const attachedSoon = soon.some((x) => isAttachedToStart(x.text));
    if ((tail && (type || motto)) || (type && attachedSoon && i - starts[starts.length - 1] > 10)) {
      // Start at the issuer lines above a motto line, when printed.
      let s = i;
      while (s > starts[starts.length - 1] + 1 && !isBlank(lines[s - 1]) && upperRatio(lines[s - 1].text) >= 0.7 && !AUTHORITY_LINE.test(fold(lines[s - 1].text))) s--;
      if (s > starts[starts.length - 1]) starts.push(s);
      tail = false;
    }
  }
  return starts;
}

function where(block: Block, index: number, part: number, section: string | null, appendix: number | null, row: number | null): Citation {
  // Find the source line the citation starts on (lines were joined by one space).
  let offset = 0;
  let line = block.lines[0];
  for (const l of block.lines) {
    const len = l.text.trim().length;
    if (index < offset + len + 1) {
      line = l;
      break;
    }
    offset += len + 1;
    line = l;
  }
  return { page: line.page, line: line.line, part, section, appendix, row };
}

function tailStart(lines: readonly SourceLine[], from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const l = lines[i];
    if (l.cells) continue;
    const text = l.text.trim();
    if (isRecipientsLabel(text) || AUTHORITY_LINE.test(fold(text))) return i;
  }
  return to;
}

/**
 * Read one document.
 *
 * @param lines Its lines.
 * @param part Its index in the file (0 for the main document).
 */
export function parsePart(lines: readonly SourceLine[], part: number): Part {
  const header = parseHeader(lines);
  const bodyStart = header.bodyStart;
  let appendixStart = lines.length;
  for (let i = bodyStart; i < lines.length; i++) {
    if (!lines[i].cells && appendixLabel(lines[i].text)) {
      appendixStart = i;
      break;
    }
  }
  const bodyEnd = tailStart(lines, bodyStart, appendixStart);
  const bodyLines = lines.slice(bodyStart, bodyEnd).filter((l) => l.cells || !isOperativeLine(l.text));
  const body = buildSectionTree(bodyLines);
  const tail = parseTail(lines.slice(bodyEnd, appendixStart));
  const app = parseAppendices(lines.slice(appendixStart));

  const found: Array<{ found: Found; where: Citation }> = [];
  for (const { block, path } of body.blocks) {
    for (const c of findCitations(block.text)) found.push({ found: c, where: where(block, c.index, part, path, null, null) });
  }
  for (const p of app.paragraphs) {
    for (const c of findCitations(p.text)) found.push({ found: c, where: { page: p.line.page, line: p.line.line, part, section: null, appendix: p.appendix, row: null } });
  }
  app.appendices.forEach((a, k) => {
    if (!a.note) return;
    const line = lines.find((l) => !l.cells && l.text.includes(a.note?.slice(0, 20) ?? '')) ?? lines[0];
    for (const c of findCitations(a.note)) found.push({ found: c, where: { page: line.page, line: line.line, part, section: null, appendix: k, row: null } });
  });
  for (const r of app.rows) {
    for (const cell of r.cells) {
      for (const c of findCitations(cell.replace(/\n/g, ' '))) {
        found.push({ found: c, where: { page: r.line.page, line: r.line.line, part, section: null, appendix: r.appendix, row: r.row } });
      }
    }
  }
  const references: Reference[] = mergeReferences(found);
  const printed = lines.filter((l) => !isBlank(l));
  const pages = printed.length > 0 ? { from: printed[0].page, to: printed[printed.length - 1].page } : { from: 1, to: 1 };
  return {
    metadata: normalizeMetadata({ ...header.metadata, recipients: tail.recipients, signer: tail.signer }),
    preamble: body.preamble,
    sections: body.sections,
    closing: body.closing,
    references,
    appendices: app.appendices,
    pages,
  };
}

function isLayoutCell(text: string): boolean {
  const t = text.trim();
  return cutMotto(t).motto !== null || readNumber(t) !== null || readPlaceDate(t) !== null || isRecipientsLabel(t) || AUTHORITY_LINE.test(fold(t));
}

/**
 * Born-digital exports keep the two-column header (issuer | motto, number |
 * place and date) and footer (Nơi nhận | signature) of a document as table
 * rows. Those are layout, not data: give each cell a line of its own, left
 * column first, so the header and footer parsers read them as printed.
 *
 * @param lines Lines in reading order.
 */
export function unfoldLayoutRows(lines: readonly SourceLine[]): SourceLine[] {
  const out: SourceLine[] = [];
  let layout = false;
  for (const l of lines) {
    const cells = l.cells;
    if (!cells || l.scanned || cells.length > 3) {
      // A layout table ends at a blank line; its rows whose right cell is empty come as plain lines.
      if (isBlank(l)) layout = false;
      out.push(l);
      continue;
    }
    layout = layout || cells.some(isLayoutCell);
    if (!layout) {
      out.push(l);
      continue;
    }
    for (const c of cells) if (c.trim() !== '') out.push({ text: c.trim(), page: l.page, line: l.line });
  }
  return out;
}

/**
 * Read the structure of a whole file from its lines.
 *
 * @param input Lines of every page in reading order (see `flattenPages`).
 */
export function parseStructure(input: readonly SourceLine[]): Structure {
  const lines = unfoldLayoutRows(input);
  const starts = splitDocuments(lines);
  const parts = starts.map((s, k) => parsePart(lines.slice(s, starts[k + 1] ?? lines.length), k));
  const [main, ...attached] = parts;
  return { ...main, attached };
}

/**
 * Create the structure stage.
 *
 * @param options Configuration (optional).
 * @throws {TypeError} When an option has the wrong type.
 * @returns A stage that returns a new `Doc` with `structure` filled (and, for
 *   scanned pages, table rows rebuilt as `table-row` lines).
 */
export function structure(options?: Readonly<StructureOptions> | null): Stage {
  const settings = options ?? emptyOptions;
  if (settings.rebuildTables !== undefined && typeof settings.rebuildTables !== 'boolean') {
    throw new TypeError(`Expected boolean for \`rebuildTables\` but received ${String(settings.rebuildTables)} (${typeof settings.rebuildTables})`);
  }
  const rebuild = settings.rebuildTables ?? true;
  return async (doc: Doc): Promise<Doc> => {
    const pages = rebuild ? doc.pages.map((p) => (p.origin === 'ocr' && p.status === 'ok' ? rebuildTableRows(p) : p)) : doc.pages;
    const lines = flattenPages(pages.filter((p) => p.status === 'ok'));
    return { ...doc, pages, structure: parseStructure(lines) };
  };
}
