/**
 * From page lines to paragraphs ("blocks"): the unit the structure parsers read.
 *
 * Legacy text files give one paragraph per line with blank lines between;
 * text layers and OCR give one printed line per line. Both are joined into
 * paragraphs by layout rules that hold for administrative documents: a new
 * paragraph starts at a marker, a bullet, after a blank line, or after a short
 * line ending a sentence; a page break does not end a paragraph whose next
 * line starts in lowercase.
 */
import type { Page } from '../../model/doc.js';
import { fold, letterCount, upperRatio } from './fold.js';
import { parseBullet, parseMarker } from './markers.js';

/** One input line with its place. */
export interface SourceLine {
  /** Line text, NFC, trailing spaces removed. */
  text: string;
  /** 1-based page number. */
  page: number;
  /** 1-based line number within the page. */
  line: number;
  /** Cells of a table row (a `table-row` line of a scan, or a tab-separated line). */
  cells?: string[];
  /** True for `table-row` lines rebuilt from a scanned page's rules. */
  scanned?: boolean;
  /** Right edge of the line on the page image, px, when the page gives boxes. */
  right?: number;
}

/** A paragraph: consecutive lines joined. */
export interface Block {
  /** Text, lines joined by one space. */
  text: string;
  /** The lines it was built from (at least one). */
  lines: SourceLine[];
}

/**
 * Flatten the pages of a document into lines, in reading order.
 *
 * Markdown emphasis around a whole line (`**TM. ỦY BAN NHÂN DÂN`) is removed:
 * some legacy text exports carry it and it is no part of the printed text.
 *
 * @param pages Pages of the document (already passed through `rebuildTableRows` for scans).
 */
export function flattenPages(pages: readonly Page[]): SourceLine[] {
  const out: SourceLine[] = [];
  for (const page of pages) {
    page.lines.forEach((l, i) => {
      const text = l.text
        .normalize('NFC')
        .replace(/^\s*\*\*(?=\S)/, '')
        .replace(/(?<=\S)\*\*\s*$/, '')
        .replace(/\s+$/, '');
      const line: SourceLine = { text, page: page.number, line: i + 1 };
      if (l.bbox) line.right = l.bbox.x1;
      if (l.kind === 'table-row' && l.cells) {
        line.cells = l.cells.map((c) => c.normalize('NFC'));
        line.scanned = true;
      } else if (text.includes('\t')) {
        line.cells = text.split('\t');
      }
      out.push(line);
    });
  }
  return out;
}

/** True for a line with no printed text. */
export function isBlank(line: SourceLine): boolean {
  // A page number (`2`, `- 2 -`) printed at the top or foot of a page, or a stray mark the OCR
  // read from a speck (`\\`, `:`, a lone `R`), carries no text of the document.
  const t = line.text.trim();
  if (line.cells || isBareMarker(t)) return false;
  return /^(?:[-–]\s*)?\d{0,3}(?:\s*[-–])?$/.test(t) || /^[^\p{L}\d]{0,3}$/u.test(t) || /^\S{1,2}$/.test(t);
}

/**
 * True for a marker or bullet printed alone on its line (`1.`, `a)`, `IV.`, `-`): some text layers
 * give a list label as a line of its own, before its text.
 *
 * @param text Trimmed line text.
 */
export function isBareMarker(text: string): boolean {
  return /^(?:[IVXL]{1,5}\.|\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\)|[-–+•])$/.test(text);
}

/** True when the text starts with a lowercase letter (a continued sentence). */
export function startsLower(text: string): boolean {
  return /^[\p{Ll}]/u.test(text.trimStart()) && !parseMarker(text);
}

function startsNew(text: string, after = ''): boolean {
  return (
    parseMarker(text, -1) !== null ||
    // After a finished sentence, a short token with a dot and a capital is a (damaged) marker: `v. Tổ chức …`.
    (/[.;:]$/.test(after) && /^\S{1,3}[.)]\s+\p{Lu}/u.test(text.trimStart())) ||
    parseBullet(text) !== null ||
    /^\(/.test(text.trimStart()) ||
    // The closing formula of administrative documents (`Trên đây là Kế hoạch …`).
    /^Tren day la\b/i.test(fold(text.trimStart()))
  );
}

function fullWidth(lines: readonly SourceLine[]): Map<number, number> {
  const byPage = new Map<number, number[]>();
  for (const l of lines) {
    if (l.cells || l.text.trim() === '') continue;
    const list = byPage.get(l.page) ?? [];
    list.push(l.text.trim().length);
    byPage.set(l.page, list);
  }
  // One width for the document: the last page of a section may hold a few lines only.
  const all = [...byPage.values()].flat().sort((a, b) => a - b);
  const width = all[Math.floor(all.length * 0.8)] ?? 0;
  const out = new Map<number, number>();
  for (const page of byPage.keys()) out.set(page, width);
  return out;
}

/**
 * Join lines into paragraphs (table lines are left out; read them with the table parsers).
 *
 * @param lines Lines in reading order.
 */
export function toBlocks(lines: readonly SourceLine[]): Block[] {
  const widths = fullWidth(lines);
  const rightMargin = new Map<number, { right: number; span: number }>();
  for (const l of lines) {
    if (l.right === undefined || l.cells) continue;
    const m = rightMargin.get(l.page);
    const right = Math.max(m?.right ?? 0, l.right);
    rightMargin.set(l.page, { right, span: right });
  }
  const blocks: Block[] = [];
  let current: Block | null = null;
  let gap = true; // a blank line (or a table) came since `current` last grew
  let label = ''; // a marker printed alone on the line before, waiting for its text
  for (const l of lines) {
    if (l.cells) {
      current = null;
      gap = true;
      continue;
    }
    if (isBareMarker(l.text.trim())) {
      label = label ? `${label} ${l.text.trim()}` : l.text.trim();
      continue;
    }
    const text = label && l.text.trim() !== '' ? `${label} ${l.text.trim()}` : l.text.trim();
    if (text !== l.text.trim()) label = '';
    if (isBlank(l)) {
      gap = true;
      continue;
    }
    const prev = current?.lines[current.lines.length - 1];
    let join = false;
    if (current && prev) {
      const bullet = parseBullet(text);
      if (gap) {
        // A page break or blank line inside a sentence: the next part starts in lowercase.
        join =
          (startsLower(text) && !/[.;!?]$/.test(current.text) && !/^[-+•]/.test(text)) ||
          // A long paragraph cut mid-sentence by a page break, going on with a name (`tỉnh Khánh` | `Hòa về …`).
          (current.text.length > 100 && !/[.;:!?)]$/.test(current.text) && /^\p{Lu}\p{Ll}/u.test(text) && !startsNew(text));
      } else if (bullet && /^[\p{Ll}\d]/u.test(bullet.rest) && !/[.;:!?]$/.test(current.text)) {
        // `- xã hội` or `- 2030` wrapped from the line before is a hyphen, not a bullet.
        join = true;
      } else if (!startsNew(text, prev.text.trim())) {
        // With boxes, a line that stops well before the right margin ends its paragraph;
        // without, compare its length with the document's usual full line.
        const margin = rightMargin.get(prev.page);
        const short =
          prev.right !== undefined && margin !== undefined
            ? prev.right < margin.right - 0.08 * margin.span
            : prev.text.trim().length < 0.75 * (widths.get(prev.page) ?? 0);
        const ended = /[.:;!?]$/.test(prev.text.trim()) || parseMarker(prev.text, -1) !== null;
        // A heading in capitals (`HỘ. KINH PHÍ`, a marker the OCR lost) ends before a line in sentence case.
        const capitalHeading = upperRatio(prev.text) >= 0.8 && letterCount(prev.text) >= 4 && upperRatio(text) < 0.5;
        join = !((short && ended && /^[\p{Lu}\d"“(]/u.test(text)) || capitalHeading);
      }
    }
    if (join && current) {
      current.text = joinText(current.text, text);
      current.lines.push(l);
    } else {
      current = { text, lines: [l] };
      blocks.push(current);
    }
    gap = false;
  }
  return dropRepeatedStarts(blocks);
}

/**
 * Join two wrapped pieces of one paragraph with one space.
 *
 * @param a Text before the wrap.
 * @param b Text after it.
 */
export function joinText(a: string, b: string): string {
  return `${a} ${b}`.replace(/\s+/g, ' ').trim();
}

// A text layer sometimes repeats the start of a paragraph cut at a page break
// before printing it whole (`7. Sở Ngoại vụ: … đề nghị của` then the full
// paragraph). Keep the whole one.
function dropRepeatedStarts(blocks: Block[]): Block[] {
  return blocks.filter((b, i) => {
    const next = blocks[i + 1];
    return !(next && b.text.length >= 20 && next.text.length > b.text.length && next.text.startsWith(b.text));
  });
}

/** First page and last page a block spans. */
export function blockPages(b: Block): { from: number; to: number } {
  return { from: b.lines[0].page, to: b.lines[b.lines.length - 1].page };
}

/**
 * Lines of a plain text, as a text-file page would give them: one page per
 * form feed, one line per text line. For tests, benchmarks and callers that
 * hold text rather than a `Doc`.
 *
 * @param text Whole text.
 */
export function linesFromText(text: string): SourceLine[] {
  const pages = text.replace(/\r\n?/g, '\n').split('\f');
  return flattenPages(
    pages.map((p, i) => ({
      number: i + 1,
      origin: 'text-file' as const,
      confidence: null,
      status: 'ok' as const,
      lines: p.split('\n').map((t) => ({ text: t })),
    })),
  );
}
