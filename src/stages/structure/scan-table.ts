/**
 * Table rows on scanned pages: put each OCR word back into the ruled cell it
 * was printed in.
 *
 * Tesseract reads a ruled table one printed line at a time straight across
 * all columns, so its lines mix every cell of a row band. With the grid found
 * on the page image (`page.tables`, see `findTableGrids`), each word goes to
 * the cell that holds its centre; the lines inside the table are replaced by
 * one `table-row` line per grid row, cells in column order.
 */
import levenshtein from 'fast-levenshtein';
import type { Bbox, Line, Page, TableGrid, Word } from '../../model/doc.js';

/**
 * Replace the OCR lines inside each ruled table of a scanned page with one
 * `table-row` line per table row (cells in column order).
 *
 * Inside a cell, words are ordered by printed line, then left to right. Lines
 * that belong together (a sentence wrapped to the cell width) are joined with
 * a space; a new list item (`-`, `+`, `•`, `a)`, `1.`) or a new sentence
 * after `.`, `;` or `:` starts a new line of the cell (`\n`). The row line's
 * `text` is its cells joined by tabs, with those `\n` turned into spaces.
 *
 * Marks with no letter or digit that dust or a ruling line left in a cell
 * are dropped (dashes and bullets stay). A cell spanning several columns in
 * one row (a group row's title) is given whole in its first column, the
 * columns it covers empty.
 *
 * Lines above and below a table keep their order; rows replace the table's
 * lines where its first line was. Rows with no word in any cell are left out.
 * Pages without tables (or without word boxes) come back unchanged.
 *
 * @param page An OCR page with `words` boxes and `tables`.
 * @returns A new page (the input is not changed).
 */
export function rebuildTableRows(page: Page): Page {
  const grids = (page.tables ?? []).filter((g) => g.rows.length >= 2 && g.columns.length >= 2);
  if (grids.length === 0) return page;

  // Words of each table, and what is left of each line outside all tables.
  const placed = grids.map(() => [] as Array<{ word: Word; line: number }>);
  const kept: Array<Line | null> = [];
  const firstLineOf = grids.map(() => -1);
  page.lines.forEach((line, index) => {
    if (line.kind === 'table-row' || !line.words || line.words.length === 0) {
      kept.push(line);
      return;
    }
    const outside: Word[] = [];
    for (const word of line.words) {
      const g = grids.findIndex((grid) => inside(grid.bbox, centre(word.bbox)));
      if (g < 0) {
        outside.push(word);
        continue;
      }
      placed[g].push({ word, line: index });
      if (firstLineOf[g] < 0) firstLineOf[g] = index;
    }
    if (outside.length === line.words.length) kept.push(line);
    else if (outside.length === 0) kept.push(null);
    else kept.push(remainder(line, outside));
  });

  // Rows of each table, to be inserted where the table's first line was.
  const insertAt = new Map<number, Line[]>();
  grids.forEach((grid, g) => {
    if (placed[g].length === 0) return;
    const rows = tableRows(grid, placed[g]);
    const at = firstLineOf[g];
    insertAt.set(at, [...(insertAt.get(at) ?? []), ...rows]);
  });

  const lines: Line[] = [];
  kept.forEach((line, index) => {
    const rows = insertAt.get(index);
    if (rows) lines.push(...rows);
    if (line) lines.push(line);
  });
  return { ...page, lines };
}

function centre(b: Bbox): { x: number; y: number } {
  return { x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 };
}

function inside(b: Bbox, p: { x: number; y: number }): boolean {
  return p.x >= b.x0 && p.x < b.x1 && p.y >= b.y0 && p.y < b.y1;
}

/**
 * Tesseract reads a ruling line next to a word as `|` (sometimes `[`, `]`, `{`, `}`):
 * drop such marks at the ends of a word (a bracket only when it has no
 * partner in the word), and words that are nothing else.
 */
function withoutRuleMarks(word: Word): Word | null {
  let text = word.text.replace(/^[|¦]+|[|¦]+$/gu, '');
  // Brackets: only when unpaired in the word (`[Văn`, `{CÔNG`), never `(b/c)`.
  if (/^[[{]/u.test(text) && !/[\]}]/u.test(text)) text = text.slice(1);
  if (/[\]}]$/u.test(text) && !/[[{]/u.test(text)) text = text.slice(0, -1);
  text = text.replace(/^[|¦]+|[|¦]+$/gu, '');
  if (text === '') return null;
  return text === word.text ? word : { ...word, text };
}

/** Index of the band [edges[i], edges[i+1]) holding v, or -1. */
function band(edges: readonly number[], v: number): number {
  for (let i = 0; i + 1 < edges.length; i++) if (v >= edges[i] && v < edges[i + 1]) return i;
  return -1;
}

/** What is left of a line once its words inside a table are taken out. */
function remainder(line: Line, words: Word[]): Line {
  const bbox = {
    x0: Math.min(...words.map((w) => w.bbox.x0)),
    y0: Math.min(...words.map((w) => w.bbox.y0)),
    x1: Math.max(...words.map((w) => w.bbox.x1)),
    y1: Math.max(...words.map((w) => w.bbox.y1)),
  };
  return { ...line, text: words.map((w) => w.text).join(' '), bbox, words };
}

function tableRows(grid: TableGrid, words: Array<{ word: Word; line: number }>): Line[] {
  const nRows = grid.rows.length - 1;
  const nCols = grid.columns.length - 1;
  const cells: Word[][][] = Array.from({ length: nRows }, () => Array.from({ length: nCols }, () => []));
  // Where Tesseract saw a ruling line: x of each rule mark, per row band.
  const marks: number[][] = Array.from({ length: nRows }, () => []);
  const ruled = new Set<Word>();
  for (const { word: raw } of words) {
    const c = centre(raw.bbox);
    const r = band(grid.rows, c.y);
    const k = band(grid.columns, c.x);
    if (r < 0 || k < 0) continue;
    const word = withoutRuleMarks(raw);
    if (word !== raw) {
      // A mark at an end of the word: the rule is at that edge (or the word is the mark).
      if (!word || /^[|¦[\]{}]/u.test(raw.text)) marks[r].push(raw.bbox.x0);
      if (!word || /[|¦[\]{}]$/u.test(raw.text)) marks[r].push(raw.bbox.x1);
    }
    if (!word) continue;
    if (/[|¦]/u.test(word.text)) ruled.add(word);
    cells[r][k].push(word);
  }
  const out: Line[] = [];
  cells.forEach((row, r) => {
    if (row.every((cell) => cell.length === 0)) return;
    const merged = mergeSpans(row, grid.columns, marks[r], ruled);
    const height = medianHeight(row.flat());
    const lines = merged.map((cell) => withoutSpecks(printedLines(cell), height));
    const texts = lines.map(cellText);
    const rowWords = lines.flatMap((cell) => cell.flat());
    out.push({
      text: texts.map((t) => t.replace(/\n/g, ' ')).join('\t'),
      bbox: { x0: grid.columns[0], y0: grid.rows[r], x1: grid.columns[nCols], y1: grid.rows[r + 1] },
      words: rowWords,
      kind: 'table-row',
      cells: texts,
    });
  });
  return numberingColumn(out);
}

const ARABIC = /^\d{1,3}\.?$/u;
const ROMAN = /^(?:X{0,3})(?:IX|IV|V?I{0,3})\.?$/u;
// Marks OCR gives for the strokes of a roman numeral: `II` read `H`, `I` read `l`, `|`, `1`.
const ROMAN_LIKE = /^[IVXHl|1]{1,6}\.?$/u;

/**
 * The first column of a phụ lục table numbers its rows (STT: arabic for tasks,
 * roman for group rows). When most of its cells read as such numbers, a cell
 * OCR damaged in the familiar ways is read back as the number it must be: in a
 * group row (its title alone, the other columns empty) a roman numeral (`H` for
 * `II`, `HI` for `III`, `l` or `|` for `I`), in a task row an arabic one (`l`
 * for `1`, `1O` for `10`); the header `STT` one letter off (`SIT`, `SÁT`) is
 * read as `STT`. The words of the row keep what OCR read.
 */
function numberingColumn(rows: Line[]): Line[] {
  // Body cells (the header row aside): numbers, or marks that read as numbers, nearly all of them.
  const firsts = rows.slice(1).map((row) => row.cells![0].trim()).filter((c) => c !== '');
  const numbers = firsts.filter((c) => ARABIC.test(c) || ROMAN.test(c));
  const numberLike = firsts.filter((c) => ARABIC.test(c) || ROMAN.test(c) || ROMAN_LIKE.test(c) || /^[\dlI|Oo]{1,3}\.?$/u.test(c));
  if (numbers.length < 2 || numberLike.length < firsts.length * 0.75) return rows;
  return rows.map((row, r) => {
    const cell = row.cells![0].trim();
    let fixed = cell;
    if (r === 0 && /^[S5][^\s]{2}$/u.test(cell) && levenshtein.get(stripMarks(cell).toUpperCase(), 'STT') === 1) fixed = 'STT';
    else if (!ARABIC.test(cell) && !ROMAN.test(cell)) {
      // A group row (its title alone, the other columns empty) is numbered in roman, a task row in arabic.
      const group = row.cells!.length > 2 && row.cells![1].trim() !== '' && row.cells!.slice(2).every((c) => c.trim() === '');
      const roman = cell.replace(/H/g, 'II').replace(/[l|1]/g, 'I');
      const arabic = cell.replace(/[lI|]/g, '1').replace(/[Oo]/g, '0');
      if (group && ROMAN_LIKE.test(cell) && /[IVXHl|]/u.test(cell) && ROMAN.test(roman)) fixed = roman;
      else if (!group && /^[\dlI|Oo]{1,3}\.?$/u.test(cell) && ARABIC.test(arabic)) fixed = arabic;
    }
    if (fixed === cell) return row;
    const cells = [fixed, ...row.cells!.slice(1)];
    return { ...row, cells, text: cells.map((t) => t.replace(/\n/g, ' ')).join('\t') };
  });
}

function stripMarks(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}


/**
 * Cells that span columns in this row (a group row's title across the whole
 * table): the grid has one set of columns for all rows, so a spanning cell's
 * words land in several columns. A column rule is missing in the row when a
 * word runs across it, or when two words of one printed line on either side
 * of it are only a word space apart (a real rule keeps the text of two cells
 * at least two cell paddings apart), and Tesseract saw no rule mark between
 * them. The words of joined columns go to the first of them; the others are
 * left empty, as the truth and the born-digital tables have them.
 */
function mergeSpans(row: Word[][], columns: readonly number[], marks: readonly number[], ruled: ReadonlySet<Word>): Word[][] {
  const all = row.flat();
  if (all.length < 2) return row;
  const columnOf = new Map<Word, number>();
  row.forEach((cell, k) => cell.forEach((w) => columnOf.set(w, k)));
  const height = medianHeight(all);
  const open = new Set<number>(); // rule k (between column k-1 and k) absent in this row
  for (const line of printedLines(all)) {
    for (const w of line) {
      if (ruled.has(w) || !ordinary(w, height)) continue;
      const width = w.bbox.x1 - w.bbox.x0;
      for (let k = 1; k < columns.length - 1; k++) {
        if (w.bbox.x0 < columns[k] - width * 0.25 && w.bbox.x1 > columns[k] + width * 0.25) open.add(k);
      }
    }
    for (let i = 1; i < line.length; i++) {
      const a = line[i - 1];
      const b = line[i];
      const from = columnOf.get(a)!;
      const to = columnOf.get(b)!;
      if (to <= from || b.bbox.x0 - a.bbox.x1 > height * 0.5) continue;
      if (marks.some((x) => x > a.bbox.x0 && x < b.bbox.x1)) continue;
      // A word much taller than its neighbours took in a piece of a rule, a flat one is a smudge:
      // neither says anything about the rule.
      if (!ordinary(a, height) || !ordinary(b, height)) continue;
      for (let k = from + 1; k <= to; k++) open.add(k);
    }
  }
  if (open.size === 0) return row;
  const out: Word[][] = row.map(() => []);
  let first = 0;
  row.forEach((cell, k) => {
    if (!open.has(k)) first = k;
    out[first].push(...cell);
  });
  return out;
}

/**
 * Group a cell's words into printed lines: taken by centre height, a word
 * joins the current line when its centre is within half a word height of the
 * line's mean centre (accents and descenders change box heights, not centres
 * much); each line is then read left to right.
 */
function printedLines(words: Word[]): Word[][] {
  if (words.length === 0) return [];
  const heights = words.map((w) => w.bbox.y1 - w.bbox.y0).sort((a, b) => a - b);
  const half = heights[Math.floor(heights.length / 2)] / 2;
  const sorted = [...words].sort((a, b) => centre(a.bbox).y - centre(b.bbox).y);
  const lines: Array<{ words: Word[]; sum: number }> = [];
  for (const w of sorted) {
    const y = centre(w.bbox).y;
    const last = lines[lines.length - 1];
    if (last && Math.abs(y - last.sum / last.words.length) <= half) {
      last.words.push(w);
      last.sum += y;
    } else {
      lines.push({ words: [w], sum: y });
    }
  }
  return lines.map((l) => l.words.sort((a, b) => a.bbox.x0 - b.bbox.x0));
}

// A list item or numbered point starts a new line of the cell.
const ITEM_START = /^(?:[-+•*–—]|[a-zđ]\)|\d{1,2}[.)])(?:\s|$)/u;
// A sentence or clause that ended: the next printed line starts afresh when it opens like one.
const CLAUSE_END = /[.;:!?]$/u;
const OPENS = /^\p{Lu}/u;

function medianHeight(words: readonly Word[]): number {
  const heights = words.map((w) => w.bbox.y1 - w.bbox.y0).sort((a, b) => a - b);
  return heights.length === 0 ? 0 : heights[Math.floor(heights.length / 2)];
}

/** A word of letters or digits about as tall as the others in its row. */
function ordinary(w: Word, height: number): boolean {
  const h = w.bbox.y1 - w.bbox.y0;
  return h >= height * 0.6 && h <= height * 1.5 && HAS_TEXT.test(w.text);
}

/** Text of one cell: printed lines, wrapped ones joined with a space, items with `\n`. */
function cellText(printed: Word[][]): string {
  const lines = printed.map((l) => l.map((w) => w.text).join(' '));
  let text = '';
  lines.forEach((line, i) => {
    if (i === 0) text = line;
    else if (ITEM_START.test(line) || (CLAUSE_END.test(lines[i - 1]) && OPENS.test(line))) text += '\n' + line;
    // A sentence does not go on in lower case after a full stop: a dot at the end of a wrapped
    // line is a speck or the rule's edge read as one.
    else if (/\p{L}\.$/u.test(text) && STARTS_LOWER.test(line)) text = text.slice(0, -1) + ' ' + line;
    else text += ' ' + line;
  });
  return text;
}

const STARTS_LOWER = /^\p{Ll}/u;

const HAS_TEXT = /[\p{L}\p{N}]/u;
const DASH = /^[-+•*–—]$/u;

/**
 * Drop what dust and ruling lines leave in a cell: words with no letter or
 * digit (`.`, `:`, `=`, `'` read from specks) and flat smudges read as letters
 * (less than a third of the row's word height; a letter without ascender,
 * descender or accent is about half), except dashes and bullets, which are
 * list markers or ranges (`Ngày 21 - 22/4`), unless a dash is the very last
 * word of a cell that holds more, where only noise puts one.
 *
 * @param height Median word height of the row, px.
 */
function withoutSpecks(lines: Word[][], height: number): Word[][] {
  const keep = (w: Word) => DASH.test(w.text) || (HAS_TEXT.test(w.text) && w.bbox.y1 - w.bbox.y0 >= height / 3);
  const kept = lines.map((line) => line.filter(keep)).filter((line) => line.length > 0);
  // A lone "-" is how tables mark "none": keep a cell that holds nothing else.
  const words = kept.reduce((n, line) => n + line.length, 0);
  const last = kept.at(-1);
  if (last && words > 1 && DASH.test(last[last.length - 1].text)) last.pop();
  return kept.filter((line) => line.length > 0);
}
