import type { Bbox, Line, Word } from '../../model/doc.js';

/**
 * Put the lines of a page into reading order. Vietnamese administrative
 * documents open with two side-by-side blocks (issuer and number on the
 * left, national motto and date on the right) and close with two more
 * (recipients, signer); a reader reads the left block to its end, then the
 * right one. Tesseract gives such rows either as single lines running
 * across the gutter or as separate blocks in either order; PDF text layers
 * give pieces on one baseline. All come out the same here.
 *
 * Lines are cut where words are separated by a gutter (a gap wider than
 * `max(3 × line height, 4 % of the page width)`), and pieces are sorted into
 * visual rows (vertical overlap over half the smaller height). Consecutive
 * rows with two pieces on either side of one gutter form a two-block
 * region, extended by following rows that stay on one side of it; a blank
 * band taller than one and a half lines ends a region. Within a region the
 * left pieces come first, then the right ones. Lines inside ruled tables
 * are left whole: cells are rebuilt from the grid elsewhere.
 *
 * @param lines Lines of one page, with boxes.
 * @param pageWidth Page width in the boxes' unit.
 * @param tables Ruled tables on the page.
 */
export function orderLines(lines: readonly Line[], pageWidth: number, tables: readonly { bbox: Bbox }[] = []): Line[] {
  if (lines.some((line) => !line.bbox)) return [...lines];
  const inTable = (line: Line) =>
    tables.some(({ bbox }) => {
      const x = (line.bbox!.x0 + line.bbox!.x1) / 2;
      const y = (line.bbox!.y0 + line.bbox!.y1) / 2;
      return x >= bbox.x0 && x <= bbox.x1 && y >= bbox.y0 && y <= bbox.y1;
    });
  type Item = { line: Line; box: Bbox; order: number; table: boolean };
  const items: Item[] = [];
  lines.forEach((line, order) => {
    const table = inTable(line);
    for (const piece of table ? [line] : cutAtGutters(line, pageWidth)) items.push({ line: piece, box: piece.bbox!, order, table });
  });
  // Tesseract's order is kept, except that pieces of one visual row are
  // brought together: a piece joins the row of an earlier piece it overlaps.
  const rows: Item[][] = [];
  for (const item of items) {
    const row = item.table
      ? undefined
      : rows.find((candidate) =>
          candidate.every(
            (other) =>
              !other.table &&
              verticalOverlap(other.box, item.box) > 0.5 * Math.min(other.box.y1 - other.box.y0, item.box.y1 - item.box.y0) &&
              !overlapsX(other.box, item.box),
          ),
        );
    if (row) row.push(item);
    else rows.push([item]);
  }
  rows.sort((a, b) => top(a) - top(b));
  for (const row of rows) row.sort((a, b) => a.box.x0 - b.box.x0);

  const out: Line[] = [];
  let index = 0;
  while (index < rows.length) {
    const first = rows[index];
    if (first.length !== 2) {
      out.push(...first.map((item) => item.line));
      index++;
      continue;
    }
    let gutterLeft = first[0].box.x1;
    let gutterRight = first[1].box.x0;
    const left: Line[] = [first[0].line];
    const right: Line[] = [first[1].line];
    let bottom = Math.max(first[0].box.y1, first[1].box.y1);
    let next = index + 1;
    for (; next < rows.length; next++) {
      const row = rows[next];
      const height = Math.max(...row.map((item) => item.box.y1 - item.box.y0));
      if (top(row) - bottom > 1.5 * height) break;
      if (row.length === 2) {
        if (row[0].box.x1 >= gutterRight || row[1].box.x0 <= gutterLeft) break;
        gutterLeft = Math.max(gutterLeft, row[0].box.x1);
        gutterRight = Math.min(gutterRight, row[1].box.x0);
        left.push(row[0].line);
        right.push(row[1].line);
      } else if (row.length === 1 && !row[0].table) {
        const box = row[0].box;
        const fitsLeft = box.x1 < gutterRight;
        const fitsRight = box.x0 > gutterLeft;
        if (!fitsLeft && !fitsRight) break;
        const goesLeft = fitsLeft && (!fitsRight || (box.x0 + box.x1) / 2 < (gutterLeft + gutterRight) / 2);
        (goesLeft ? left : right).push(row[0].line);
      } else break;
      bottom = Math.max(bottom, ...row.map((item) => item.box.y1));
    }
    out.push(...left, ...right);
    index = next;
  }
  return out;
}

function top(row: readonly { box: Bbox }[]): number {
  return Math.min(...row.map((item) => item.box.y0));
}

function verticalOverlap(a: Bbox, b: Bbox): number {
  return Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
}

function cutAtGutters(line: Line, pageWidth: number): Line[] {
  const words = line.words;
  if (!words || words.length < 2 || !line.bbox) return [line];
  const height = line.bbox.y1 - line.bbox.y0;
  const gutter = Math.max(3 * height, 0.04 * pageWidth);
  const pieces: Word[][] = [[words[0]]];
  for (let index = 1; index < words.length; index++) {
    if (words[index].bbox.x0 - words[index - 1].bbox.x1 > gutter) pieces.push([]);
    pieces.at(-1)!.push(words[index]);
  }
  if (pieces.length === 1) return [line];
  return pieces.map((group) => ({
    ...line,
    text: group.map((word) => word.text).join(' '),
    bbox: union(group.map((word) => word.bbox)),
    words: group,
  }));
}

function union(boxes: Bbox[]): Bbox {
  return {
    x0: Math.min(...boxes.map((box) => box.x0)),
    y0: Math.min(...boxes.map((box) => box.y0)),
    x1: Math.max(...boxes.map((box) => box.x1)),
    y1: Math.max(...boxes.map((box) => box.y1)),
  };
}

function sameRow(a: Bbox | undefined, b: Bbox): boolean {
  if (!a) return false;
  const overlap = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return overlap > 0.5 * Math.min(a.y1 - a.y0, b.y1 - b.y0);
}

function overlapsX(a: Bbox | undefined, b: Bbox): boolean {
  return !!a && Math.min(a.x1, b.x1) > Math.max(a.x0, b.x0);
}
