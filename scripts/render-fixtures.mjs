#!/usr/bin/env node
// Renders the fixture scans in fixtures/scans/ from Vietnamese plan text written for vnplan
// (scripts/fixtures/documents.mjs), with exact ground truth beside each file.
//
//   node scripts/render-fixtures.mjs            # all fixtures
//   node scripts/render-fixtures.mjs quyetdinh-clean-300   # only the named ones
//
// Runs on a developer machine only (tests use the committed outputs). Needs the dev dependencies
// @fontsource/tinos (font, SIL OFL 1.1), @napi-rs/canvas (drawing), sharp (degradation, TIFF/PNG/
// JPEG) and pdf-lib (wrapping page JPEGs into a PDF). Nothing is downloaded. Output is
// deterministic: all randomness comes from a seed per fixture.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { keHoach, phuLucNhom, quyetDinh } from './fixtures/documents.mjs';
import { layout, PAGE } from './fixtures/layout.mjs';
import { degrade, drawPage, rng } from './fixtures/render.mjs';

const outDir = fileURLToPath(new URL('../fixtures/scans/', import.meta.url));

// Scanner settings per variant. angle: degrees per page (cycled); blur: sharp sigma; light: fall-off
// of illumination across the page (0–1); fade: how far ink moves towards paper (0–1); noise:
// Gaussian sigma in grey levels; specks: dust dots per page; gray: one channel or colour.
const clean = { angle: [0], blur: 0.45, light: 0, fade: 0, noise: 0, specks: 0, gray: true, ink: '#111', marks: false };
const skewed = { angle: [1.5, -1.2], blur: 0.8, light: 0.08, fade: 0.05, noise: 5, specks: 40, gray: true, ink: '#151515', marks: false };
const degraded = {
  angle: [1.0, -0.8],
  blur: 0.75,
  light: 0.45,
  fade: 0.4,
  noise: 8,
  specks: 150,
  gray: false,
  ink: '#2a2a2a',
  marks: true,
};

/** The fixtures: source document, which of its pages, resolution, scanner settings, container. */
const fixtures = [
  { name: 'quyetdinh-clean-300', doc: quyetDinh, pages: [0], dpi: 300, scan: clean, format: 'pdf', quality: 75, seed: 1 },
  { name: 'kehoach-clean-300', doc: keHoach, pages: 'all', dpi: 300, scan: clean, format: 'pdf', quality: 75, seed: 2 },
  { name: 'kehoach-skewed-300', doc: keHoach, pages: [2], dpi: 300, scan: skewed, format: 'pdf', quality: 75, seed: 3 },
  { name: 'kehoach-degraded-200', doc: keHoach, pages: 'all', dpi: 200, scan: degraded, format: 'pdf', quality: 70, seed: 4 },
  { name: 'phuluc-bilevel-300', doc: keHoach, pages: [2, 3], dpi: 300, scan: { ...clean, angle: [0.3, -0.2], blur: 0.6 }, format: 'tiff', seed: 5 },
  { name: 'phuluc-nhom-300', doc: phuLucNhom, pages: [0], dpi: 300, scan: { ...clean, angle: [0.4] }, format: 'png', colours: 2, seed: 7 },
  { name: 'quyetdinh-skewed-200', doc: quyetDinh, pages: [0], dpi: 200, scan: { ...skewed, angle: [-1.5], noise: 0, specks: 20 }, format: 'png', colours: 4, seed: 6 },
];

const wanted = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const layouts = new Map();
for (const fx of fixtures) {
  if (wanted.length > 0 && !wanted.includes(fx.name)) continue;
  if (!layouts.has(fx.doc)) layouts.set(fx.doc, layout(fx.doc));
  const all = layouts.get(fx.doc).pages;
  const picked = fx.pages === 'all' ? all.map((_, i) => i) : fx.pages;
  const random = rng(fx.seed);
  const images = [];
  const angles = [];
  for (const [k, index] of picked.entries()) {
    const angle = fx.scan.angle[k % fx.scan.angle.length];
    angles.push(angle);
    const drawn = drawPage(all[index], { dpi: fx.dpi, ink: fx.scan.ink, marks: fx.scan.marks, random });
    images.push(await degrade(drawn, { ...fx.scan, angle, random }));
  }
  const file = `${fx.name}.${fx.format}`;
  writeFileSync(outDir + file, await encode(images, fx));
  writeTruth(fx, file, all, picked, angles);
  console.log(`${file}: ${picked.length} page(s)`);
}

/** Encode page images into the fixture's container. */
async function encode(images, fx) {
  // sharp turns one-channel raw input into sRGB on output unless told otherwise.
  const rawOf = (img) =>
    sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } }).toColourspace(
      img.channels === 1 ? 'b-w' : 'srgb',
    );
  if (fx.format === 'pdf') {
    const pdf = await PDFDocument.create({ updateMetadata: false });
    for (const img of images) {
      const jpeg = await rawOf(img)
        .withDensity(fx.dpi)
        .jpeg({ quality: fx.quality, chromaSubsampling: '4:2:0', mozjpeg: true })
        .toBuffer();
      const embedded = await pdf.embedJpg(jpeg);
      // A4 in points; the scan fills the page.
      const page = pdf.addPage([595.28, 841.89]);
      page.drawImage(embedded, { x: 0, y: 0, width: 595.28, height: 841.89 });
    }
    return Buffer.from(await pdf.save({ useObjectStreams: false }));
  }
  if (fx.format === 'tiff') {
    // Multi-page TIFF: pages stacked vertically with pageHeight set, which libvips writes as
    // one IFD per page. Bilevel CCITT G4, as many archive scanners produce.
    const { width, height } = images[0];
    const stacked = Buffer.concat(images.map((img) => img.data));
    return sharp(stacked, { raw: { width, height: height * images.length, channels: 1, pageHeight: height } })
      .toColourspace('b-w')
      .withDensity(fx.dpi)
      .tiff({ compression: 'ccittfax4', bitdepth: 1, xres: fx.dpi / 25.4, yres: fx.dpi / 25.4, resolutionUnit: 'inch' })
      .toBuffer();
  }
  if (fx.format === 'png') {
    return rawOf(images[0])
      .withDensity(fx.dpi)
      .png({ compressionLevel: 9, palette: true, colours: fx.colours ?? 16, dither: 0 })
      .toBuffer();
  }
  throw new Error(`Unknown format ${fx.format}`);
}

/**
 * Headings of the printed pages: heading blocks (`I. MỤC ĐÍCH, YÊU CẦU`, level 1; `1. Mục đích`,
 * level 2) and paragraphs that open with a marker (`a) …`, `1. …` under a roman heading,
 * `Điều 1. …`; their `text` is the whole paragraph after the marker).
 */
function headingsOf(doc, all, picked) {
  // Section markers as printed: roman `I.`, arabic `1.`, letters `a)`; and `Điều 1.` articles.
  const MARKER = /^((?:[IVX]+|\d+)\.|[a-zđ]\)|Điều \d+\.)\s+(.*)$/u;
  const printed = new Set(picked.flatMap((i) => all[i].truth));
  const out = [];
  for (const b of doc.blocks) {
    const text = b.kind === 'para' && b.lead ? `${b.lead} ${b.text}` : b.text;
    if ((b.kind !== 'heading' && b.kind !== 'para') || !text) continue;
    const m = MARKER.exec(text);
    if (!m) continue;
    // Only headings on the pages of this fixture (their first words were printed there).
    if (![...printed].some((line) => line.startsWith(text.slice(0, 24)))) continue;
    const kind = b.kind === 'heading' ? 'heading' : m[1].startsWith('Điều') ? 'article' : 'numbered-paragraph';
    const level = /^[IVX]+\.$/.test(m[1]) ? 1 : /^\d+\.$/.test(m[1]) ? 2 : /^Điều/.test(m[1]) ? 1 : 3;
    out.push({ marker: m[1], text: m[2], level, kind });
  }
  return out;
}

/** Ground truth: printed lines per page and the table cells, from the same layout that was drawn. */
function writeTruth(fx, file, all, picked, angles) {
  const text = picked.map((i) => all[i].truth.join('\n') + '\n').join('\f');
  writeFileSync(`${outDir}${fx.name}.truth.txt`, text);
  const scale = fx.dpi / PAGE.dpi;
  const px = (v) => Math.round(v * scale);
  const tables = [];
  picked.forEach((index, k) => {
    for (const grid of all[index].tables) {
      tables.push({
        page: k + 1,
        bbox: { x0: px(grid.bbox.x0), y0: px(grid.bbox.y0), x1: px(grid.bbox.x1), y1: px(grid.bbox.y1) },
        rows: grid.rows.map(px),
        columns: grid.columns.map(px),
        printedRows: grid.printed,
        // Cells spanning columns: printed row index, first and last column (0-based).
        spans: grid.spans,
        cells: grid.cells,
      });
    }
  });
  const table = fx.doc.blocks.find((b) => b.kind === 'table');
  const truth = {
    file,
    document: fx.doc.name,
    pageCount: picked.length,
    sourcePages: picked.map((i) => i + 1),
    dpi: fx.dpi,
    scan: { ...fx.scan, angle: angles, seed: fx.seed },
    metadata: fx.doc.metadata,
    headings: headingsOf(fx.doc, all, picked),
    references: fx.doc.references,
    tables,
    appendix:
      table && tables.length > 0
        ? {
            ...fx.doc.appendix,
            columns: table.columns.map((c) => c.title),
            rows: table.rows.map((row) =>
              Array.isArray(row) ? row : [row.group[0], row.group[1], ...table.columns.slice(2).map(() => '')],
            ),
          }
        : null,
  };
  writeFileSync(`${outDir}${fx.name}.truth.json`, JSON.stringify(truth, null, 2) + '\n');
}
