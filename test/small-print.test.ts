import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import levenshtein from 'fast-levenshtein';
import { describe, expect, it } from 'vitest';
import type { Line, Word } from '../src/model/doc.js';
import { ingest } from '../src/stages/ingest/index.js';
import { openPages } from '../src/stages/rasterize/index.js';
import { preprocess } from '../src/stages/preprocess/index.js';
import { createOcrPool, findSmallPrintBlock, rereadSmallPrint } from '../src/stages/ocr/index.js';
import { isRecipientsLabel } from '../src/stages/structure/index.js';
import { line } from './support/invented-page.js';

/** A word on an invented page: x from the left, y the top of its printed line, 30 px high. */
function word(text: string, x: number, y: number): Word {
  return { text, bbox: { x0: x, y0: y, x1: x + text.length * 15, y1: y + 30 }, confidence: 90 };
}


describe('findSmallPrintBlock', () => {
  // A 2000 × 3000 px page: body text, then the two-column footer (Nơi nhận | signer).
  const lines = [
    line(word('Gửi', 300, 300), word('Nơi', 360, 300), word('nhận:', 420, 300), word('theo', 520, 300), word('mẫu.', 600, 300)),
    line(word('Trong', 300, 2000), word('quá', 400, 2000), word('trình', 470, 2000)),
    line(word('Nơi', 300, 2200), word('nhận:', 360, 2200), word('KT.', 1300, 2200), word('GIÁM', 1360, 2200), word('ĐỐC', 1450, 2200)),
    line(word('-', 300, 2240), word('UBND', 320, 2240), word('tỉnh;', 400, 2240), word('PHÓ', 1300, 2240), word('GIÁM', 1370, 2240)),
    line(word('-', 300, 2280), word('Lưu:', 320, 2280), word('VT.', 390, 2280)),
    // The signer's name, far below: not part of the list.
    line(word('Nguyễn', 1300, 2600), word('Văn', 1420, 2600), word('A', 1490, 2600)),
  ];

  it('takes the label line in the lower left and the lines under it, up to the gap, without the signer column', () => {
    const block = findSmallPrintBlock(lines, 2000, 3000, isRecipientsLabel)!;
    expect(block.lines).toEqual([2, 3, 4]);
    expect(block.box.x0).toBeLessThan(300);
    expect(block.box.y0).toBeLessThan(2200);
    expect(block.box.y1).toBeGreaterThan(2310);
    expect(block.box.y1).toBeLessThan(2600);
    // The crop stops before `KT.` / `PHÓ` of the signer column.
    expect(block.box.x1).toBeGreaterThan(460);
    expect(block.box.x1).toBeLessThan(1300);
  });

  it('finds no block when `Nơi nhận` only appears in the upper part of the page', () => {
    expect(findSmallPrintBlock(lines.slice(0, 2), 2000, 3000, isRecipientsLabel)).toBeNull();
  });
});

describe('second reading of the Nơi nhận block (rereadSmallPrint)', () => {
  const scans = new URL('../fixtures/scans/', import.meta.url);
  // Page 2 of the clean Kế hoạch ends with the Nơi nhận list beside the signer block.
  const truthPage = readFileSync(new URL('kehoach-clean-300.truth.txt', scans), 'utf8').split('\f')[1].split('\n');
  const label = truthPage.findIndex((l) => l.startsWith('Nơi nhận'));
  const want = truthPage.slice(label, truthPage.findIndex((l, i) => i > label && !l.startsWith('-')));

  it('reads the block again on a real page, keeps everything else, and reads the list better than page OCR', async () => {
    const file = await ingest(fileURLToPath(new URL('kehoach-clean-300.pdf', scans)));
    const reader = await openPages(file);
    let prepared;
    for await (const source of reader.pages()) {
      if (source.kind === 'image' && source.number === 2) prepared = await preprocess(source.image, source.dpi);
    }
    await reader.close();
    expect(prepared).toBeDefined();
    const image = { data: prepared!.encoded, dpi: prepared!.dpi };
    const pool = await createOcrPool({ workers: 1 });
    try {
      const page = await pool.recognize(image);
      const block = findSmallPrintBlock(page.lines, prepared!.gray.width, prepared!.gray.height, isRecipientsLabel)!;
      expect(block).not.toBeNull();
      expect(block.lines).toHaveLength(want.length);

      const out = await rereadSmallPrint(page.lines, image, pool, {}, { isLabel: isRecipientsLabel });
      expect(out).toHaveLength(page.lines.length);
      // Lines outside the block are untouched; the signer column stays on the block's lines.
      page.lines.forEach((l, i) => {
        if (!block.lines.includes(i)) expect(out[i]).toBe(l);
      });
      expect(block.lines.map((i) => out[i].text).join(' ')).toMatch(/GIÁM ĐỐC.*PHÓ GIÁM ĐỐC/u);

      // The list itself (left of the signer column), against what is printed.
      const left = (lines: readonly Line[]) =>
        block.lines
          .map((i) => (lines[i].words ?? []).filter((w) => w.bbox.x1 <= block.box.x1).map((w) => w.text).join(' '))
          .join('\n');
      const distance = (text: string) => levenshtein.get(text, want.join('\n'));
      // On this page the small print is misread (`CCVTLLI` for `CCVTLT`): the second reading must fix it.
      expect(distance(left(out))).toBeLessThan(distance(left(page.lines)));
      expect(distance(left(out)) / want.join('\n').length).toBeLessThan(0.05);
    } finally {
      await pool.terminate();
    }
  }, 60_000);
});
