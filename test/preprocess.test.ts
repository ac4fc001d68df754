import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { binarizeSauvola, despeckle, estimateSkew, preprocess, type GrayImage } from '../src/stages/preprocess/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

async function grayOf(input: Buffer | string, rotate = 0): Promise<GrayImage> {
  let image = sharp(input).extractChannel(0);
  if (rotate) image = sharp(await image.toBuffer()).rotate(rotate, { background: '#ffffff' }).extractChannel(0);
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

describe('deskew', { timeout: 60_000 }, () => {
  it('measures a page scanned 1.5° off and straightens it', async () => {
    const path = fixture('scans/quyetdinh-skewed-200.png');
    const skewed = await grayOf(path);
    expect(estimateSkew(skewed)).toBeCloseTo(-1.5, 1);
    const bytes = await readFile(path);
    const prepared = await preprocess({ kind: 'encoded', data: bytes, page: 0, width: skewed.width, height: skewed.height }, 200);
    expect(prepared.skewDegrees).toBeCloseTo(-1.5, 1);
    expect(Math.abs(estimateSkew(prepared.gray))).toBeLessThanOrEqual(0.1);
  });

  it('measures both directions', async () => {
    const straight = await grayOf(fixture('scans/quyetdinh-skewed-200.png'), 1.5);
    expect(Math.abs(estimateSkew(straight))).toBeLessThanOrEqual(0.1);
    const other = await grayOf(fixture('scans/quyetdinh-skewed-200.png'), 3);
    expect(estimateSkew(other)).toBeCloseTo(1.5, 1);
  });

  it('leaves a blank page alone', () => {
    expect(estimateSkew({ data: new Uint8Array(400 * 300).fill(250), width: 400, height: 300 })).toBe(0);
  });
});

/** A white image with dark rectangles [x, y, w, h]. */
function draw(width: number, height: number, boxes: number[][], ink = 0, paper = 255): GrayImage {
  const data = new Uint8Array(width * height).fill(paper);
  for (const [x0, y0, w, h] of boxes) for (let y = y0; y < y0 + h; y++) data.fill(ink, y * width + x0, y * width + x0 + w);
  return { data, width, height };
}
const at = (image: GrayImage, x: number, y: number) => image.data[y * image.width + x];

describe('despeckle', () => {
  it('removes lone specks and edge shadows, keeps dots beside letters', () => {
    const image = draw(600, 600, [
      [200, 200, 20, 40], // a letter
      [225, 245, 6, 6], // its full stop
      [400, 400, 6, 6], // dust, nothing near
      [0, 100, 4, 300], // scanner edge
      [300, 300, 60, 8], // a rule: too big to be dust
    ]);
    const clean = despeckle(image);
    expect(at(clean, 205, 205)).toBe(0);
    expect(at(clean, 227, 247)).toBe(0);
    expect(at(clean, 402, 402)).toBe(255);
    expect(at(clean, 1, 200)).toBe(255);
    expect(at(clean, 310, 303)).toBe(0);
  });
});

describe('binarizeSauvola', () => {
  it('keeps faint ink on dark paper and clears plain paper under uneven light', () => {
    const width = 300;
    const height = 100;
    const data = new Uint8Array(width * height);
    // Paper from 230 (left) to 120 (right); ink 60 levels darker than the paper around it.
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = 230 - Math.round((110 * x) / width);
    for (const x0 of [40, 240]) for (let y = 40; y < 60; y++) for (let x = x0; x < x0 + 6; x++) data[y * width + x] -= 60;
    const binary = binarizeSauvola({ data, width, height });
    expect(at(binary, 42, 50)).toBe(0);
    expect(at(binary, 242, 50)).toBe(0);
    expect(at(binary, 150, 20)).toBe(255);
    expect(at(binary, 290, 90)).toBe(255);
  });
});
