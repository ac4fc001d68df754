import { mkdtemp, readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertFile } from '../src/pipeline.js';
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
