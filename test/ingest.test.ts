import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectKind, decodeUtf8, ingest, textToPages } from '../src/stages/ingest/index.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (value: string) => new TextEncoder().encode(value);

describe('detectKind', () => {
  it('tells types by magic bytes', () => {
    expect(detectKind(text('%PDF-1.7\n%âãÏÓ\n'))).toBe('pdf');
    expect(detectKind(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0))).toBe('png');
    expect(detectKind(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10))).toBe('jpeg');
    expect(detectKind(bytes(0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0))).toBe('tiff');
    expect(detectKind(bytes(0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8))).toBe('tiff');
    expect(detectKind(text('Kế hoạch số 12/KH-UBND\n'))).toBe('text');
  });

  it('refuses empty, binary and markup input with a reason', () => {
    expect(() => detectKind(new Uint8Array())).toThrow(expect.objectContaining({ code: 'INPUT_EMPTY' }));
    expect(() => detectKind(bytes(0x50, 0x4b, 0x03, 0x04, 0, 0, 0))).toThrow(expect.objectContaining({ code: 'INPUT_UNSUPPORTED' }));
    expect(() => detectKind(text('<!DOCTYPE html><html><body>Kế hoạch</body></html>'))).toThrow(
      expect.objectContaining({ code: 'INPUT_UNSUPPORTED', message: expect.stringMatching(/HTML/) }),
    );
    expect(() => detectKind(bytes(0xff, 0xfe, 0x4b, 0x00))).toThrow(expect.objectContaining({ code: 'INPUT_NOT_UTF8' }));
  });
});

describe('decodeUtf8', () => {
  it('decodes UTF-8 to NFC and drops the byte-order mark', () => {
    const decomposed = 'Ke\u0302\u0301 hoa\u0323ch';
    expect(decodeUtf8(Uint8Array.from([0xef, 0xbb, 0xbf, ...text(decomposed)]))).toBe('Kế hoạch');
  });

  it('refuses legacy 8-bit Vietnamese text with the offset of the first bad byte', () => {
    // "KÕ ho¹ch" in TCVN3 (ABC) bytes: not UTF-8.
    expect(() => decodeUtf8(bytes(0x4b, 0xd5, 0x20, 0x68, 0x6f, 0xb9, 0x63, 0x68))).toThrow(/offset 1/);
  });
});

describe('textToPages', () => {
  it('splits pages at form feeds and lines at any line break', () => {
    const pages = textToPages('KẾ HOẠCH\r\nMục đích\n\n1. Yêu cầu\n\n\fTrang hai\rdòng cuối\n');
    expect(pages.map((page) => page.lines.map((line) => line.text))).toEqual([
      ['KẾ HOẠCH', 'Mục đích', '', '1. Yêu cầu'],
      ['Trang hai', 'dòng cuối'],
    ]);
    expect(pages.map((page) => [page.number, page.origin, page.status])).toEqual([
      [1, 'text-file', 'ok'],
      [2, 'text-file', 'ok'],
    ]);
  });
});

describe('ingest', () => {
  it('hashes the bytes and names the file in errors', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'vnplan-ingest-'));
    const path = join(folder, 'ke-hoach.txt');
    await writeFile(path, 'abc');
    const file = await ingest(path);
    expect(file).toMatchObject({
      fileName: 'ke-hoach.txt',
      kind: 'text',
      text: 'abc',
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    });
    const empty = join(folder, 'empty.pdf');
    await writeFile(empty, '');
    await expect(ingest(empty)).rejects.toMatchObject({ code: 'INPUT_EMPTY', path: empty });
    await expect(ingest(join(folder, 'missing.pdf'))).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' });
    await expect(ingest(folder)).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' });
  });
});
