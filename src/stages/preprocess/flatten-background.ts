import sharp from 'sharp';
import type { GrayImage } from './table-grid.js';

/**
 * Even out the paper: estimate the page background (what the page would
 * look like with the ink removed) and divide it out, so uneven lighting,
 * yellowed paper and a dark scanner edge all become white while ink keeps
 * its contrast. Tesseract's global (Otsu) threshold fails on such pages —
 * whole regions go black and it reads noise as text — but works on the
 * flattened image.
 *
 * The background is a max filter (ink is dark and thin, so the local
 * maximum is paper) on a copy shrunk eightfold, smoothed, and scaled back.
 *
 * @param image Grayscale page, dark ink on light paper.
 * @returns A new image of the same size.
 */
export async function flattenBackground(image: GrayImage): Promise<GrayImage> {
  const factor = 8;
  const smallWidth = Math.max(8, Math.round(image.width / factor));
  const smallHeight = Math.max(8, Math.round(image.height / factor));
  const small = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 1 } })
    .resize(smallWidth, smallHeight, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  // A text line at 300 dpi is about 50 px tall, 6 px at this scale: a 4 px
  // radius max filter removes it, separably (rows, then columns).
  const radius = 4;
  const rows = maxFilter(small, smallWidth, smallHeight, radius, true);
  const paper = maxFilter(rows, smallWidth, smallHeight, radius, false);
  const background = await sharp(paper, { raw: { width: smallWidth, height: smallHeight, channels: 1 } })
    .blur(radius)
    .resize(image.width, image.height, { fit: 'fill', kernel: 'linear' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  const out = new Uint8Array(image.data.length);
  for (let index = 0; index < out.length; index++) {
    const base = Math.max(background[index], 16);
    const value = (image.data[index] * 255) / base;
    out[index] = value >= 255 ? 255 : value;
  }
  return { data: out, width: image.width, height: image.height };
}

function maxFilter(data: Uint8Array, width: number, height: number, radius: number, horizontal: boolean): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let best = 0;
      for (let offset = -radius; offset <= radius; offset++) {
        const xx = horizontal ? x + offset : x;
        const yy = horizontal ? y : y + offset;
        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
        const value = data[yy * width + xx];
        if (value > best) best = value;
      }
      out[y * width + x] = best;
    }
  }
  return out;
}
