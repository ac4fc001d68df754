import type { Bbox, Line, Word } from '../../model/doc.js';

/**
 * Put two-column blocks into reading order. Vietnamese administrative
 * documents open with two side-by-side blocks (issuer and number on the
 * left, national motto and date on the right) and close with two more
 * (recipients on the left, signature on the right). Tesseract and PDF text
 * layers give such rows as single lines running across both blocks; a
 * reader reads the left block to its end, then the right one.
 *
 * Lines are first cut where words are separated by a gutter (a gap wider
 * than `max(3 × line height, 4 % of the page width)`); consecutive rows in
 * which a cut occurs form a two-column region, extended by neighbouring rows
 * that stay on one side of the gutter; within a region the left pieces come
 * first, then the right ones. A blank band taller than one and a half
 * lines ends a region. Lines outside regions keep their order.
 *
 * @param lines Lines of one page in top-to-bottom order, with boxes.
 * @param pageWidth Page width in the boxes' unit.
 */
export function orderColumns(lines: readonly Line[], pageWidth: number, tables: readonly { bbox: Bbox }[] = []): Line[] {
  const inTable = (line: Line) =>
    !!line.bbox &&
    tables.some(({ bbox }) => {
      const x = (line.bbox!.x0 + line.bbox!.x1) / 2;
      const y = (line.bbox!.y0 + line.bbox!.y1) / 2;
      return x >= bbox.x0 && x <= bbox.x1 && y >= bbox.y0 && y <= bbox.y1;
    });
  const rows: Line[][] = [];
  for (const line of lines) {
    // Table rows are cut into cells elsewhere; their order is by row.
    const pieces = inTable(line) ? [line] : cutAtGutters(line, pageWidth);
    const row = rows.at(-1);
    // A PDF text layer gives the pieces of one row as separate lines on one baseline.
    if (row && line.bbox && !inTable(line) && pieces.length === 1 && sameRow(row[0].bbox, line.bbox) && !row.some((piece) => overlapsX(piece.bbox, line.bbox!))) {
      row.push(line);
      row.sort((left, right) => (left.bbox?.x0 ?? 0) - (right.bbox?.x0 ?? 0));
    } else rows.push(pieces);
  }

  const out: Line[] = [];
  let index = 0;
  while (index < rows.length) {
    const first = rows[index];
    if (first.length !== 2 || !first[0].bbox || !first[1].bbox) {
      out.push(...first);
      index++;
      continue;
    }
    let gutterLeft = first[0].bbox.x1;
    let gutterRight = first[1].bbox.x0;
    const left: Line[] = [first[0]];
    const right: Line[] = [first[1]];
    let next = index + 1;
    let bottom = Math.max(first[0].bbox.y1, first[1].bbox.y1);
    for (; next < rows.length; next++) {
      const row = rows[next];
      // A blank band (more than a line and a half) ends the blocks: what
      // follows is a title or body text, even if it sits on one side.
      const top = Math.min(...row.map((piece) => piece.bbox?.y0 ?? Infinity));
      const height = Math.max(...row.map((piece) => (piece.bbox ? piece.bbox.y1 - piece.bbox.y0 : 0)));
      if (top - bottom > 1.5 * height) break;
      bottom = Math.max(bottom, ...row.map((piece) => piece.bbox?.y1 ?? 0));
      if (row.length === 2 && row[0].bbox && row[1].bbox) {
        if (row[0].bbox.x1 >= gutterRight || row[1].bbox.x0 <= gutterLeft) break;
        gutterLeft = Math.max(gutterLeft, row[0].bbox.x1);
        gutterRight = Math.min(gutterRight, row[1].bbox.x0);
        left.push(row[0]);
        right.push(row[1]);
        continue;
      }
      if (row.length !== 1 || !row[0].bbox) break;
      const box = row[0].bbox;
      const fitsLeft = box.x1 < gutterRight;
      const fitsRight = box.x0 > gutterLeft;
      if (!fitsLeft && !fitsRight) break;
      const goesLeft = fitsLeft && (!fitsRight || (box.x0 + box.x1) / 2 < (gutterLeft + gutterRight) / 2);
      (goesLeft ? left : right).push(row[0]);
    }
    out.push(...left, ...right);
    index = next;
  }
  return out;
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
