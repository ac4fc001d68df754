import { mkdtemp, readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import levenshtein from 'fast-levenshtein';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertFile } from '../src/pipeline.js';
import { createOcrPool, type OcrPool } from '../src/stages/ocr/index.js';
import { renderJson, renderText, writeOutputs } from '../src/stages/write/index.js';

const scratch = () => mkdtemp(join(tmpdir(), 'vnplan-pipeline-'));

describe('text files', () => {
  it('convert page by page and come back out unchanged', async () => {
    const folder = await scratch();
    const input = join(folder, 'ke-hoach.txt');
    const content = 'ỦY BAN NHÂN DÂN\nKẾ HOẠCH\nTuyên truyền cải cách hành chính năm 2024\n\fPHỤ LỤC\nNội dung\tThời gian\n';
    await writeFile(input, content);
    const doc = await convertFile(input, { repair: null, structure: null });
    expect(doc.source).toMatchObject({ fileName: 'ke-hoach.txt', kind: 'text', pageCount: 2, dpi: null });
    expect(doc.pages.map((page) => page.origin)).toEqual(['text-file', 'text-file']);
    expect(renderText(doc)).toBe(content);
  });
});

describe('interrupting', () => {
  it('stops with INTERRUPTED when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(convertFile(fixture('inputs/born-digital.pdf'), { signal: controller.signal })).rejects.toMatchObject({ code: 'INTERRUPTED' });
  });

  it('refuses a bad option before reading anything', async () => {
    await expect(convertFile(fixture('inputs/born-digital.pdf'), { dpi: 1200 })).rejects.toThrow(/Expected integer between 72 and 600 for `dpi` but received 1200/);
  });
});

describe('writeOutputs', () => {
  it('writes json, txt and md with nothing else left in the folder', async () => {
    const folder = await scratch();
    const input = join(folder, 'in.txt');
    await writeFile(input, 'Quyết định số 5/QĐ-UBND\n');
    const doc = await convertFile(input, { repair: null, structure: null });
    const out = join(folder, 'out');
    const written = await writeOutputs(doc, out, 'in');
    expect((await readdir(out)).sort()).toEqual(['in.json', 'in.md', 'in.txt']);
    expect(await readFile(written.txt, 'utf8')).toBe('Quyết định số 5/QĐ-UBND\n');
    const json = await readFile(written.json, 'utf8');
    expect(json).toBe(renderJson(doc));
    expect(Object.keys(JSON.parse(json))).toEqual(['schemaVersion', 'generator', 'source', 'pages', 'corrections', 'structure', 'notices']);
  });

  it('renders the same JSON whatever order keys were set in', () => {
    const base = {
      schemaVersion: '1.0.0',
      generator: { name: 'vnplan', version: '0.1.0' },
      source: { fileName: 'a.txt', sha256: 'a'.repeat(64), kind: 'text', pageCount: 0, dpi: null },
      pages: [],
      corrections: [],
      structure: null,
      notices: [],
    } as const;
    const shuffled = Object.fromEntries(Object.entries(base).reverse());
    shuffled.source = Object.fromEntries(Object.entries(base.source).reverse());
    expect(renderJson(shuffled as never)).toBe(renderJson(base as never));
  });

  it('leaves no partial output when one of the files cannot be written', async () => {
    const folder = await scratch();
    const input = join(folder, 'in.txt');
    await writeFile(input, 'x\n');
    const doc = await convertFile(input, { repair: null, structure: null });
    const out = join(folder, 'out');
    await mkdir(join(out, 'in.md'), { recursive: true });
    await expect(writeOutputs(doc, out, 'in')).rejects.toMatchObject({ code: 'OUTPUT_ACCESS' });
    expect(await readdir(out)).toEqual(['in.md']);
    // A file where the folder should be.
    await expect(writeOutputs(doc, join(input, 'sub'), 'in')).rejects.toMatchObject({ code: 'OUTPUT_ACCESS' });
  });
});

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const truth = (name: string) => readFile(fixture(name), 'utf8');

/** Character error rate: edit distance over truth length, after normalizing spaces and blank lines. */
function cer(actual: string, expected: string): number {
  const normalize = (text: string) =>
    text
      .normalize('NFC')
      .replace(/\f/g, '\n')
      .split('\n')
      .map((line) => line.replace(/[ \t]+/g, ' ').trim())
      .filter(Boolean)
      .join('\n');
  const target = normalize(expected);
  return levenshtein.get(normalize(actual), target) / Math.max(1, target.length);
}

describe('PDFs', { timeout: 60_000 }, () => {
  it('take a visible text layer as it is, with no OCR', async () => {
    const doc = await convertFile(fixture('inputs/born-digital.pdf'), { repair: null, structure: null });
    expect(doc.pages.map((page) => [page.origin, page.status, page.confidence])).toEqual([
      ['text-layer', 'ok', null],
      ['text-layer', 'ok', null],
    ]);
    expect(renderText(doc)).toBe(await truth('inputs/born-digital.truth.txt'));
  });

  it.each([
    ['inputs/header-only.pdf', 'INPUT_CORRUPT'],
    ['inputs/truncated.pdf', 'INPUT_CORRUPT'],
    ['inputs/damaged-image.pdf', 'INPUT_CORRUPT'],
    ['inputs/encrypted.pdf', 'PDF_ENCRYPTED'],
    ['inputs/empty.pdf', 'INPUT_EMPTY'],
    ['inputs/html-named.pdf', 'INPUT_UNSUPPORTED'],
    ['inputs/huge-30000.png', 'INPUT_TOO_LARGE'],
    ['inputs/legacy-tcvn3.txt', 'INPUT_NOT_UTF8'],
  ])('refuse %s with %s, naming the file', async (name, code) => {
    const path = fixture(name);
    const error = await convertFile(path, { repair: null, structure: null }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'VnplanError', code, path });
    expect(String(error)).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(, page 1)?: \\S`));
  });
});

describe('scans', { timeout: 120_000 }, () => {
  let pool: OcrPool;
  beforeAll(() => {
    pool = createOcrPool({ workers: 2 });
  });
  afterAll(async () => {
    await pool.terminate();
  });

  it.each([
    ['scans/quyetdinh-clean-300.pdf', 0.015],
    ['scans/quyetdinh-skewed-200.png', 0.03],
  ])('read the fixture scan %s within its CER budget (before repair)', async (name, budget) => {
    const doc = await convertFile(fixture(name), { ocrPool: pool, repair: null });
    expect(cer(renderText(doc), await truth(name.replace(/\.[a-z]+$/, '.truth.txt')))).toBeLessThanOrEqual(budget);
  });

  it('OCR a mixed PDF page by page, ignoring an invisible old OCR layer', async () => {
    const events: string[] = [];
    const doc = await convertFile(fixture('inputs/mixed.pdf'), {
      ocrPool: pool,
      repair: null,
      structure: null,
      onPage: (event) => events.push(`${event.page}/${event.pageCount} ${event.origin} ${event.status}`),
    });
    expect(events).toEqual(['1/2 text-layer ok', '2/2 ocr ok']);
    const [, scanned] = doc.pages;
    expect(scanned.confidence).toBeGreaterThan(80);
    const word = scanned.lines[0].words![0];
    expect(word.bbox.x1).toBeGreaterThan(word.bbox.x0);
    expect(word.confidence).toBeGreaterThan(50);
    expect(cer(renderText(doc), await truth('inputs/mixed.truth.txt'))).toBeLessThan(0.02);
  });

  it('read a JPEG named .pdf as the JPEG it is', async () => {
    const doc = await convertFile(fixture('inputs/jpeg-named.pdf'), { ocrPool: pool, repair: null, structure: null });
    expect(doc.source).toMatchObject({ kind: 'jpeg', pageCount: 1, dpi: 200 });
    expect(cer(renderText(doc), await truth('inputs/jpeg-named.truth.txt'))).toBeLessThan(0.02);
  });

  it('read every page of a multi-page TIFF', async () => {
    const doc = await convertFile(fixture('inputs/two-pages.tiff'), { ocrPool: pool, repair: null, structure: null });
    expect(doc.source).toMatchObject({ kind: 'tiff', pageCount: 2 });
    expect(cer(renderText(doc), await truth('inputs/two-pages.truth.txt'))).toBeLessThan(0.02);
    expect(renderText(doc).split('\f')).toHaveLength(2);
  });

  // Archive scans are often JPEG 2000 or CCITT G4 inside the PDF, decoded
  // by pdf.js's own decoders (OpenJPEG for JPEG 2000), not by canvas.
  it.each(['inputs/jpx.pdf', 'inputs/ccitt.pdf'])('read the scan in %s, not a blank page', async (name) => {
    const doc = await convertFile(fixture(name), { ocrPool: pool, repair: null, structure: null });
    expect(doc.pages.map((page) => [page.origin, page.status])).toEqual([['ocr', 'ok']]);
    expect(cer(renderText(doc), await truth(name.replace(/\.pdf$/, '.truth.txt')))).toBeLessThanOrEqual(0.03);
  });

  it('keep going when a page times out: the page fails, the rest is converted, the pool recovers', async () => {
    const doc = await convertFile(fixture('inputs/mixed.pdf'), { ocrPool: pool, pageTimeoutMs: 1, repair: null, structure: null });
    expect(doc.pages.map((page) => [page.origin, page.status, page.error?.code])).toEqual([
      ['text-layer', 'ok', undefined],
      ['ocr', 'failed', 'OCR_TIMEOUT'],
    ]);
    expect(doc.notices).toEqual([expect.objectContaining({ code: 'OCR_TIMEOUT', page: 2 })]);
    // A file whose only page times out fails as a whole, naming the page.
    const error = await convertFile(fixture('inputs/jpeg-named.pdf'), { ocrPool: pool, pageTimeoutMs: 1 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'OCR_TIMEOUT', page: 1 });
    expect(String(error)).toMatch(/jpeg-named\.pdf, page 1: OCR did not finish/);
    // The worker that was killed has been replaced.
    const again = await convertFile(fixture('inputs/jpeg-named.pdf'), { ocrPool: pool, repair: null, structure: null });
    expect(again.pages[0].status).toBe('ok');
  });

  it('fail one page, not the process, when Tesseract cannot read the image', async () => {
    const error = await pool
      .recognize({ data: new TextEncoder().encode('not an image at all'), dpi: 300 }, { path: 'x.png', page: 3 })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'VnplanError', code: 'OCR_FAILED', path: 'x.png', page: 3 });
  });
});

describe('OCR pool', { timeout: 120_000 }, () => {
  it('settles every queued page when terminated mid-run', async () => {
    const pool = createOcrPool({ workers: 1 });
    const image = { data: await readFile(fixture('inputs/jpeg-named.pdf')), dpi: 200 };
    const pages = [1, 2, 3].map((page) => pool.recognize(image, { path: 'a.jpg', page }).then(() => 'ok', (error: { code: string }) => error.code));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await pool.terminate();
    expect(await Promise.all(pages)).toEqual(['INTERRUPTED', 'INTERRUPTED', 'INTERRUPTED']);
    await expect(pool.recognize(image)).rejects.toMatchObject({ code: 'INTERRUPTED' });
  });

  it('refuses invalid options with the rule broken', () => {
    expect(() => createOcrPool({ workers: 0 })).toThrow(/Expected integer between 1 and 256 for `workers` but received 0/);
  });
});
