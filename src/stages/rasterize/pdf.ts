import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, OPS, VerbosityLevel, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import sharp from 'sharp';
import type { Page } from '../../model/doc.js';
import { VnplanError, isVnplanError } from '../../errors.js';
import type { PageReader, PageSource } from './sources.js';
import { runsToLines, type TextRun } from './text-lines.js';
import { countTextDraws } from './text-visibility.js';

/** Options for reading a PDF. */
export interface PdfReadOptions {
  /** Rasterization resolution for image-only pages. */
  dpi: number;
  /** Largest page raster, pixels; bigger pages are rendered at a lower resolution. */
  maxPixels: number;
  /** Input path, for messages. */
  path: string;
}

// pdf.js reads these with fs in Node; each must be an absolute folder with a
// trailing slash. Without wasmUrl, JPEG 2000 scans render blank.
function resourceDirs(): { cMapUrl: string; standardFontDataUrl: string; wasmUrl: string; iccUrl: string } {
  const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  const folder = (name: string) => `${join(root, name)}/`;
  return { cMapUrl: folder('cmaps'), standardFontDataUrl: folder('standard_fonts'), wasmUrl: folder('wasm'), iccUrl: folder('iccs') };
}

/**
 * Open a PDF with pdf.js (legacy build, runs on the calling thread in Node).
 *
 * @throws {VnplanError} `PDF_ENCRYPTED` (password-protected), `INPUT_CORRUPT`
 *   (not parseable), each carrying `path`.
 */
export async function openPdf(bytes: Uint8Array, options: PdfReadOptions): Promise<PageReader> {
  const { path } = options;
  const task = getDocument({
    // pdf.js takes ownership of (transfers) the buffer: give it a copy.
    data: new Uint8Array(bytes),
    ...resourceDirs(),
    cMapPacked: true,
    isEvalSupported: false,
    enableXfa: false,
    // Decompression bombs: refuse single images above this many pixels.
    maxImageSize: options.maxPixels * 4,
    verbosity: VerbosityLevel.ERRORS,
    useSystemFonts: false,
  });
  let pdf: PDFDocumentProxy;
  try {
    pdf = await task.promise;
  } catch (error) {
    await task.destroy().catch(() => {});
    throw mapOpenError(error, path);
  }

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await task.destroy().catch(() => {});
  };

  // Probe a page: its visible text if it has any (the page is then done),
  // else the page itself, still open, to be rendered.
  async function probe(number: number): Promise<PageSource | { kind: 'open'; page: PDFPageProxy }> {
    const page = await pdf.getPage(number);
    let keep = false;
    try {
      const base = page.getViewport({ scale: 1 });
      const content = await page.getTextContent({ includeMarkedContent: false, disableNormalization: false });
      const runs = content.items.filter((item): item is TextRun & (typeof content.items)[number] => 'str' in item);
      const hasText = runs.some((run) => run.str.trim() !== '');
      if (hasText) {
        const list = await page.getOperatorList();
        const draws = countTextDraws(list.fnArray, list.argsArray, OPS);
        if (draws.visible > 0) {
          const scale = options.dpi / 72;
          const textPage: Page = {
            number,
            origin: 'text-layer',
            width: Math.round(base.width * scale),
            height: Math.round(base.height * scale),
            dpi: options.dpi,
            confidence: null,
            // Viewport transform handles /Rotate and cropbox offsets.
            lines: runsToLines(runs.map((run) => toViewport(run, base.transform, base.height)), base.height, scale),
            status: 'ok',
          };
          return { kind: 'text', number, page: textPage };
        }
      }
      keep = true;
      return { kind: 'open', page };
    } finally {
      if (!keep) page.cleanup();
    }
  }

  async function render(page: PDFPageProxy, number: number): Promise<PageSource> {
    try {
      const scan = await fullPageImage(page, number, options.dpi).catch((error: unknown) => {
        if (isVnplanError(error)) throw error;
        return undefined;
      });
      if (scan) return scan;
      const base = page.getViewport({ scale: 1 });
      let scale = options.dpi / 72;
      if (base.width * base.height * scale * scale > options.maxPixels) {
        scale = Math.sqrt(options.maxPixels / (base.width * base.height));
      }
      const viewport = page.getViewport({ scale });
      const width = Math.floor(viewport.width);
      const height = Math.floor(viewport.height);
      const factory = (pdf as unknown as { canvasFactory: CanvasFactory }).canvasFactory;
      const target = factory.create(width, height);
      try {
        await page.render({ canvasContext: target.context, canvas: target.canvas, viewport } as never).promise;
        const pixels = target.context.getImageData(0, 0, width, height).data;
        return {
          kind: 'image',
          number,
          image: { kind: 'raw', data: new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength), width, height, channels: 4 },
          dpi: Math.round(scale * 72 * 100) / 100,
          dpiAssumed: false,
        };
      } finally {
        factory.destroy(target);
      }
    } finally {
      page.cleanup();
    }
  }

  const settle = (number: number) =>
    probe(number).then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );

  return {
    pageCount: pdf.numPages,
    async *pages() {
      try {
        // The next page's text is read while this one is rendered or used:
        // pdf.js inflates streams off the main thread, so the two overlap.
        let pending = pdf.numPages > 0 ? settle(1) : undefined;
        for (let number = 1; number <= pdf.numPages; number++) {
          const probed = await pending!;
          pending = number < pdf.numPages ? settle(number + 1) : undefined;
          if ('error' in probed) {
            yield { kind: 'failed', number, error: mapPageError(probed.error, path, number) };
            continue;
          }
          const { result } = probed;
          if (result.kind === 'open') {
            let source: PageSource;
            try {
              source = await render(result.page, number);
            } catch (error) {
              source = { kind: 'failed', number, error: mapPageError(error, path, number) };
            }
            yield source;
          } else yield result;
        }
      } finally {
        await close();
      }
    },
    close,
  };
}

// Most scanned PDFs are one image per page, drawn over the whole page. Its
// pixels, as pdf.js decoded them, are the page: taking them directly skips
// painting them into a canvas and reading them back (about half the time of
// a page render). Anything else on the page, a rotated page or a packed
// 1-bit image, goes through the canvas.
async function fullPageImage(page: PDFPageProxy, number: number, dpi: number): Promise<PageSource | undefined> {
  if (page.rotate % 360 !== 0) return undefined;
  const list = await page.getOperatorList();
  const allowed = new Set([OPS.dependency, OPS.save, OPS.restore, OPS.transform, OPS.setGState, OPS.paintImageXObject]);
  let ctm = [1, 0, 0, 1, 0, 0];
  const stack: number[][] = [];
  let painted: { id: string; ctm: number[] } | undefined;
  for (let index = 0; index < list.fnArray.length; index++) {
    const op = list.fnArray[index];
    if (!allowed.has(op)) return undefined;
    const args = list.argsArray[index] as unknown[];
    if (op === OPS.save) stack.push(ctm);
    else if (op === OPS.restore) ctm = stack.pop() ?? [1, 0, 0, 1, 0, 0];
    else if (op === OPS.transform) ctm = multiply(ctm, args as number[]);
    else if (op === OPS.paintImageXObject) {
      if (painted) return undefined;
      painted = { id: String(args[0]), ctm };
    }
  }
  if (!painted) return undefined;
  const [x0, y0, x1, y1] = page.view;
  const [a, b, c, d, e, f] = painted.ctm;
  const width = x1 - x0;
  const height = y1 - y0;
  const near = (value: number, target: number, scale: number) => Math.abs(value - target) <= 0.01 * scale;
  if (!near(b, 0, height) || !near(c, 0, width) || !near(a, width, width) || !near(d, height, height) || !near(e, x0, width) || !near(f, y0, height)) {
    return undefined;
  }
  const image = await new Promise<{ width: number; height: number; kind: number; data: Uint8ClampedArray } | undefined>((resolve) => {
    (page.objs as unknown as { get(id: string, callback: (value: unknown) => void): void }).get(painted!.id, (value) =>
      resolve(value as never),
    );
  });
  // pdf.js leaves an image it could not decode (a damaged stream, an
  // encoding it cannot read) out of the drawing, without an error: the page
  // would render blank and be "read" as empty.
  if (image === null) {
    throw new VnplanError('INPUT_CORRUPT', 'the scanned image of the page cannot be decoded (damaged or unsupported image data)');
  }
  if (!image?.data || (image.kind !== 2 && image.kind !== 3)) return undefined;
  const channels = image.kind === 2 ? 3 : 4;
  if (image.data.length !== image.width * image.height * channels) return undefined;
  let pixels = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  let pixelWidth = image.width;
  let pixelHeight = image.height;
  const native = (image.width / width) * 72;
  // Resample to the requested resolution, as a render would.
  if (Math.abs(native - dpi) / dpi > 0.02) {
    pixelWidth = Math.round((width / 72) * dpi);
    pixelHeight = Math.round((height / 72) * dpi);
    const resized = await sharp(pixels, { raw: { width: image.width, height: image.height, channels } })
      .resize(pixelWidth, pixelHeight, { fit: 'fill' })
      .raw()
      .toBuffer();
    pixels = new Uint8Array(resized.buffer, resized.byteOffset, resized.byteLength);
  }
  // No copy: the decoded image is pdf.js's, but page.cleanup() only drops
  // the cache's reference to it; the pixels stay valid while we hold them.
  return {
    kind: 'image',
    number,
    image: { kind: 'raw', data: pixels, width: pixelWidth, height: pixelHeight, channels },
    dpi: Math.round((pixelWidth / width) * 72 * 100) / 100,
    dpiAssumed: false,
  };
}

// PDF matrices compose as m × ctm (the new transform applies first).
function multiply(ctm: number[], m: number[]): number[] {
  const [a, b, c, d, e, f] = ctm;
  const [a2, b2, c2, d2, e2, f2] = m;
  return [a2 * a + b2 * c, a2 * b + b2 * d, c2 * a + d2 * c, c2 * b + d2 * d, e2 * a + f2 * c + e, e2 * b + f2 * d + f];
}

interface CanvasFactory {
  create(width: number, height: number): {
    canvas: unknown;
    context: { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
  };
  destroy(target: unknown): void;
}

// Put a run's origin into the page as displayed (after /Rotate and the
// crop box), y-up, so rows and boxes follow what is printed.
function toViewport(run: TextRun, transform: number[], pageHeight: number): TextRun {
  const [a, b, , , e, f] = run.transform;
  const [va, vb, vc, vd, ve, vf] = transform;
  const x = va * e + vc * f + ve;
  const y = vb * e + vd * f + vf;
  const size = Math.hypot(a, b);
  return { ...run, transform: [size, 0, 0, size, x, pageHeight - y] };
}

function mapOpenError(error: unknown, path: string): VnplanError {
  if (isVnplanError(error)) return error;
  const name = (error as { name?: string } | null)?.name;
  const message = (error as { message?: string } | null)?.message ?? String(error);
  if (name === 'PasswordException') {
    return new VnplanError('PDF_ENCRYPTED', 'the PDF is encrypted (password-protected); remove the password first, e.g. `qpdf --decrypt in.pdf out.pdf`', { path, cause: error });
  }
  return new VnplanError('INPUT_CORRUPT', `the PDF is damaged and cannot be read (${message})`, { path, cause: error });
}

function mapPageError(error: unknown, path: string, page: number): VnplanError {
  if (isVnplanError(error)) return new VnplanError(error.code, error.message, { path, page, cause: error.cause });
  const message = (error as { message?: string } | null)?.message ?? String(error);
  return new VnplanError('INPUT_CORRUPT', `the page cannot be read (${message})`, { path, page, cause: error });
}
