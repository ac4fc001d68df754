import { readFileSync } from 'node:fs';
import { PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { findSpans, findTableGrids, type GrayImage } from '../src/stages/preprocess/table-grid.js';

// Fixture scans rendered by scripts/render-fixtures.mjs; truth.json gives the rule positions
// as drawn (before the scan's slight rotation), in pixels of the page at the fixture's dpi.
const scans = new URL('../fixtures/scans/', import.meta.url);

interface TruthTable {
  page: number;
  rows: number[];
  columns: number[];
}

/** Truth tables with their rules moved as the scan's rotation (about the page centre) moved them. */
function truthTables(name: string): TruthTable[] {
  const truth = JSON.parse(readFileSync(new URL(`${name}.truth.json`, scans), 'utf8'));
  const angles: number[] = truth.scan.angle;
  const scale = truth.dpi / 300;
  const [cx, cy] = [(2480 * scale) / 2, (3508 * scale) / 2];
  return truth.tables.map((t: TruthTable) => {
    // sharp's rotate(a) turns the page clockwise by a degrees (y axis pointing down).
    const a = (angles[t.page - 1] * Math.PI) / 180;
    const tx = (t.columns[0] + t.columns[t.columns.length - 1]) / 2;
    const ty = (t.rows[0] + t.rows[t.rows.length - 1]) / 2;
    return {
      page: t.page,
      rows: t.rows.map((y) => cy + (tx - cx) * Math.sin(a) + (y - cy) * Math.cos(a)),
      columns: t.columns.map((x) => cx + (x - cx) * Math.cos(a) - (ty - cy) * Math.sin(a)),
    };
  });
}

/** Gray page as the pipeline sees it: the red channel (red stamps vanish, black ink stays). */
async function gray(input: Buffer | Uint8Array, page = 0): Promise<GrayImage> {
  const { data, info } = await sharp(input, { page }).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

/** The JPEG of a 1-based page of a fixture PDF (each page is one full-page image). */
async function pdfPageJpeg(name: string, pageNumber: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(readFileSync(new URL(`${name}.pdf`, scans)));
  const resources = pdf.getPage(pageNumber - 1).node.Resources();
  const xobjects = resources?.lookup(PDFName.of('XObject'), PDFDict);
  const [[, ref]] = xobjects!.entries();
  const stream = pdf.context.lookup(ref);
  if (!(stream instanceof PDFRawStream)) throw new Error('expected an image stream');
  return stream.contents;
}

function expectGridLike(found: { rows: number[]; columns: number[] }, want: TruthTable, tolerance: number) {
  expect(found.rows.length).toBe(want.rows.length);
  expect(found.columns.length).toBe(want.columns.length);
  found.rows.forEach((y, i) => expect(Math.abs(y - want.rows[i])).toBeLessThanOrEqual(tolerance));
  found.columns.forEach((x, i) => expect(Math.abs(x - want.columns[i])).toBeLessThanOrEqual(tolerance));
}

describe('findTableGrids on fixture scans', () => {
  it('finds the phụ lục table on both pages of the bilevel TIFF (9 rows, then the continuation)', async () => {
    const tiff = readFileSync(new URL('phuluc-bilevel-300.tiff', scans));
    const truth = truthTables('phuluc-bilevel-300');
    for (const [k, want] of truth.entries()) {
      const grids = findTableGrids(await gray(tiff, k));
      expect(grids).toHaveLength(1);
      expectGridLike(grids[0], want, 6);
    }
    // Page 1: header + 8 body rows; page 2: the header repeated + 2 rows.
    expect(truth.map((t) => t.rows.length - 1)).toEqual([9, 3]);
  });

  it('finds the tables on the degraded 200 dpi colour scan (faded ink, uneven light, noise, ~1° tilt)', async () => {
    const truth = truthTables('kehoach-degraded-200');
    expect(truth.map((t) => t.page)).toEqual([3, 4]);
    for (const want of truth) {
      const grids = findTableGrids(await gray(await pdfPageJpeg('kehoach-degraded-200', want.page)));
      expect(grids).toHaveLength(1);
      expectGridLike(grids[0], want, 8);
    }
  });

  it('tolerates a page left 1.5° off (no deskew)', async () => {
    const [want] = truthTables('kehoach-skewed-300');
    const grids = findTableGrids(await gray(await pdfPageJpeg('kehoach-skewed-300', 1)));
    expect(grids).toHaveLength(1);
    expect(grids[0].rows).toHaveLength(want.rows.length);
    expect(grids[0].columns).toHaveLength(want.columns.length);
  });

  it('finds the grid of a table whose group rows span all columns but the first (broken column rules), and the spans', async () => {
    const [want] = truthTables('phuluc-nhom-300');
    const image = await gray(readFileSync(new URL('phuluc-nhom-300.png', scans)));
    const grids = findTableGrids(image);
    expect(grids).toHaveLength(1);
    expectGridLike(grids[0], want, 6);
    // Where the column rules are missing: the three group rows, columns 1–3.
    const truth = JSON.parse(readFileSync(new URL('phuluc-nhom-300.truth.json', scans), 'utf8'));
    expect(findSpans(image, grids[0])).toEqual(truth.tables[0].spans.map((s: { row: number; from: number; to: number }) => ({ row: s.row, from: s.from, to: s.to })));
    // Tables without spans have none, faded, noisy or 1.5° off as they may be.
    for (const page of [
      await gray(readFileSync(new URL('phuluc-bilevel-300.tiff', scans))),
      await gray(await pdfPageJpeg('kehoach-degraded-200', 3)),
      await gray(await pdfPageJpeg('kehoach-skewed-300', 1)),
    ]) {
      expect(findSpans(page, findTableGrids(page)[0])).toEqual([]);
    }
  });

  it('finds no table on pages without one (header rules, stamp, signature, dust)', async () => {
    expect(findTableGrids(await gray(await pdfPageJpeg('quyetdinh-clean-300', 1)))).toEqual([]);
    expect(findTableGrids(await gray(await pdfPageJpeg('kehoach-degraded-200', 2)))).toEqual([]);
    expect(findTableGrids(await gray(readFileSync(new URL('quyetdinh-skewed-200.png', scans))))).toEqual([]);
  });
});

describe('findTableGrids on drawn grids', () => {
  function canvas(width: number, height: number): GrayImage {
    return { data: new Uint8Array(width * height).fill(240), width, height };
  }
  function hline(img: GrayImage, y: number, x0: number, x1: number, t = 3) {
    for (let dy = 0; dy < t; dy++) for (let x = x0; x < x1; x++) img.data[(y + dy) * img.width + x] = 20;
  }
  function vline(img: GrayImage, x: number, y0: number, y1: number, t = 3) {
    for (let y = y0; y < y1; y++) for (let dx = 0; dx < t; dx++) img.data[y * img.width + x + dx] = 20;
  }

  it('closes a table drawn without side borders at the ends of its rules', () => {
    const img = canvas(1200, 1600);
    for (const y of [200, 400, 600, 800]) hline(img, y, 100, 1100);
    for (const x of [400, 700]) vline(img, x, 200, 803);
    const [grid, ...rest] = findTableGrids(img);
    expect(rest).toEqual([]);
    expect(grid.rows).toEqual([201, 401, 601, 801]);
    expect(grid.columns.length).toBe(4);
    expect(grid.columns[0]).toBeLessThanOrEqual(101);
    expect(grid.columns[3]).toBeGreaterThanOrEqual(1099);
    expect(grid.bbox).toEqual({ x0: grid.columns[0], y0: 201, x1: grid.columns[3], y1: 801 });
  });

  it('keeps a grid whose rules are broken by gaps, and ignores lone lines and a blank page', () => {
    const img = canvas(1654, 2339); // A4 at 200 dpi
    for (const y of [300, 500, 700]) {
      hline(img, y, 200, 600);
      hline(img, y, 640, 1000); // a 40 px break in every rule
    }
    for (const x of [200, 600, 997]) vline(img, x, 300, 703);
    hline(img, 1200, 100, 1100); // a lone rule under the table
    vline(img, 50, 100, 1500); // a margin line
    const grids = findTableGrids(img);
    expect(grids).toHaveLength(1);
    expect(grids[0].rows).toEqual([301, 501, 701]);
    expect(grids[0].columns.map((x) => Math.round(x))).toEqual([201, 601, 998]);
    expect(findTableGrids(canvas(800, 1000))).toEqual([]);
  });

  it('finds a rule that text touches (the two ink into one thick band)', () => {
    const img = canvas(1654, 2339);
    for (const y of [300, 500, 700]) hline(img, y, 200, 1000);
    for (const x of [200, 600, 997]) vline(img, x, 300, 703);
    // A line of bold text standing on the middle rule: 22 rows of long runs right above it.
    for (let y = 478; y < 500; y++) for (let x = 230; x < 560; x++) if (x % 9 !== 0) img.data[y * img.width + x] = 30;
    const grids = findTableGrids(img);
    expect(grids).toHaveLength(1);
    expect(grids[0].rows).toEqual([301, 501, 701]);
  });
});
