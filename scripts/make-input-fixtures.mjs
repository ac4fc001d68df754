#!/usr/bin/env node
// Writes the small input fixtures in fixtures/inputs/ that exercise each input path and each
// bad input of the pipeline (test/pipeline.test.ts). Run on a developer machine only; the
// outputs are committed so tests need no rendering:
//
//   node scripts/make-input-fixtures.mjs
//
// Needs pdf-lib + @pdf-lib/fontkit (dev dependencies), @napi-rs/canvas, sharp, the Debian font
// DejaVu Serif (fonts-dejavu-core, Bitstream Vera / public-domain licence: full Vietnamese glyphs)
// and, for the encrypted PDF only, Debian's `qpdf`; for the scans in archive encodings,
// `opj_compress` (libopenjp2-tools: JPEG 2000) and `tiff2pdf` (libtiff-tools: CCITT G4, embedded
// as is). The texts are written for vnplan. Name steps to rebuild only those, e.g.
//
//   node scripts/make-input-fixtures.mjs archive-scans
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, PDFName, rgb, pushGraphicsState, popGraphicsState, setTextRenderingMode, TextRenderingMode } from 'pdf-lib';
import sharp from 'sharp';

const out = fileURLToPath(new URL('../fixtures/inputs/', import.meta.url));
const fontPath = '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf';
const boldPath = '/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf';
mkdirSync(out, { recursive: true });
const write = (name, data) => writeFileSync(out + name, data);

// Born-digital plan: a two-column header, a title and body lines, two pages.
const header = {
  left: ['ỦY BAN NHÂN DÂN', 'HUYỆN ĐÔNG HÀ', 'Số: 27/KH-UBND'],
  right: ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'Đông Hà, ngày 14 tháng 02 năm 2025'],
};
const body1 = [
  'KẾ HOẠCH',
  'Số hóa hồ sơ lưu trữ của các xã, thị trấn năm 2025',
  'I. MỤC ĐÍCH, YÊU CẦU',
  '1. Hoàn thành việc số hóa 100% hồ sơ có thời hạn bảo quản vĩnh viễn.',
  '2. Bảo đảm dữ liệu được sao lưu định kỳ, an toàn và dễ tra cứu.',
];
const body2 = [
  'II. NHIỆM VỤ TRỌNG TÂM',
  '1. Phòng Nội vụ hướng dẫn quy trình chỉnh lý, lập danh mục hồ sơ.',
  '2. Ủy ban nhân dân các xã bố trí kinh phí, nhân lực thực hiện.',
  'Nơi nhận: lưu VT, NV.',
];

async function bornDigital() {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const font = await pdf.embedFont(readFileSync(fontPath), { subset: true });
  const bold = await pdf.embedFont(readFileSync(boldPath), { subset: true });
  const A4 = [595.28, 841.89];
  const page1 = pdf.addPage(A4);
  let y = 790;
  for (let i = 0; i < 3; i++) {
    page1.drawText(header.left[i], { x: 60, y, size: 11, font: i < 2 ? bold : font });
    page1.drawText(header.right[i], { x: 300, y, size: 11, font: i < 2 ? bold : font });
    y -= 16;
  }
  y -= 30;
  for (const [i, line] of body1.entries()) {
    page1.drawText(line, { x: i < 2 ? 180 : 60, y, size: 12, font: i === 0 || i === 2 ? bold : font });
    y -= 20;
  }
  const page2 = pdf.addPage(A4);
  y = 790;
  for (const [i, line] of body2.entries()) {
    page2.drawText(line, { x: 60, y, size: 12, font: i === 0 ? bold : font });
    y -= 20;
  }
  write('born-digital.pdf', await pdf.save({ useObjectStreams: false }));
  write('born-digital.truth.txt', [...header.left, ...header.right, ...body1].join('\n') + '\n\f' + body2.join('\n') + '\n');
}

// A text image drawn with canvas (dark text on off-white paper), as PNG bytes.
function textImage(lines, { width = 1400, size = 34, dpi = 200 } = {}) {
  GlobalFonts.registerFromPath(fontPath, 'DejaVu Serif');
  const lineHeight = Math.round(size * 1.6);
  const canvas = createCanvas(width, lineHeight * lines.length + 2 * size);
  const context = canvas.getContext('2d');
  context.fillStyle = '#fbfaf6';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = '#151515';
  context.font = `${size}px "DejaVu Serif"`;
  lines.forEach((line, index) => context.fillText(line, size, size + lineHeight * (index + 0.8)));
  return { png: canvas.toBuffer('image/png'), width: canvas.width, height: canvas.height, dpi };
}

const scanLines = ['Thông báo kết quả kiểm tra', 'công tác văn thư năm 2025', 'tại Ủy ban nhân dân xã Tân Lập'];
const tiffPages = [
  ['Trang một: danh sách hồ sơ', 'đã được chỉnh lý hoàn chỉnh'],
  ['Trang hai: biên bản bàn giao', 'tài liệu vào lưu trữ huyện'],
];

// A mixed PDF: page 1 born-digital, page 2 a scan with an invisible OCR layer that is wrong
// (as an old OCR run left it), which must be ignored and the page OCR'd.
async function mixed() {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const font = await pdf.embedFont(readFileSync(fontPath), { subset: true });
  const page1 = pdf.addPage([595.28, 841.89]);
  page1.drawText('Phần một của tài liệu có lớp chữ thật.', { x: 60, y: 780, size: 12, font });
  const scan = textImage(scanLines);
  const image = await pdf.embedPng(scan.png);
  const w = (scan.width * 72) / scan.dpi;
  const h = (scan.height * 72) / scan.dpi;
  const page2 = pdf.addPage([w, h]);
  page2.drawImage(image, { x: 0, y: 0, width: w, height: h });
  page2.pushOperators(pushGraphicsState(), setTextRenderingMode(TextRenderingMode.Invisible));
  page2.drawText('Th6ng b6o k6t qu6 ki6m tra', { x: 10, y: h - 30, size: 12, font });
  page2.pushOperators(popGraphicsState());
  write('mixed.pdf', await pdf.save({ useObjectStreams: false }));
  write('mixed.truth.txt', 'Phần một của tài liệu có lớp chữ thật.\n\f' + scanLines.join('\n') + '\n');
}

async function images() {
  const scan = textImage(scanLines);
  // A JPEG whose name says PDF: converted as the JPEG it is.
  write('jpeg-named.pdf', await sharp(scan.png).greyscale().jpeg({ quality: 80 }).withMetadata({ density: 200 }).toBuffer());
  write('jpeg-named.truth.txt', scanLines.join('\n') + '\n');
  // A two-page TIFF (sharp reads page 0 only unless asked).
  const pages = tiffPages.map((lines) => textImage(lines, { width: 1100 }));
  const raws = await Promise.all(pages.map((page) => sharp(page.png).greyscale().raw().toBuffer({ resolveWithObject: true })));
  const width = raws[0].info.width;
  const height = raws[0].info.height;
  const stacked = Buffer.concat(raws.map((raw) => raw.data));
  write(
    'two-pages.tiff',
    await sharp(stacked, { raw: { width, height: height * raws.length, channels: 1, pageHeight: height } })
      .tiff({ compression: 'lzw', xres: 200 / 25.4, yres: 200 / 25.4 })
      .toBuffer(),
  );
  write('two-pages.truth.txt', tiffPages.map((lines) => lines.join('\n') + '\n').join('\f'));
}

function png30000() {
  // A PNG signature and an IHDR chunk claiming 30000×30000 px (8-bit gray), with pixels for one
  // row only: a decoder believes the header, and the file stays tiny.
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(30000, 0);
  ihdr.writeUInt32BE(30000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // gray
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  // One compressed row of white, so decoders that look past the header still find data.
  const row = deflateSync(Buffer.concat([Buffer.from([0]), Buffer.alloc(30000, 255)]));
  write(
    'huge-30000.png',
    Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', row), chunk('IEND', Buffer.alloc(0))]),
  );
}

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function badFiles() {
  write('empty.pdf', Buffer.alloc(0));
  write('html-named.pdf', '<!DOCTYPE html>\n<html lang="vi"><head><title>Kế hoạch</title></head><body><p>Trang này đã được chuyển.</p></body></html>\n');
  // OCRmyPDF's invalid.pdf idea: a header and an end marker, nothing between.
  write('header-only.pdf', '%PDF-1.4\n%%EOF\n');
  const full = readFileSync(out + 'born-digital.pdf');
  write('truncated.pdf', full.subarray(0, Math.floor(full.length * 0.4)));
  rmSync(out + 'encrypted.pdf', { force: true });
  execFileSync('qpdf', ['--encrypt', 'mat-khau', 'chu-so-huu', '256', '--', out + 'born-digital.pdf', out + 'encrypted.pdf']);
  write('legacy-tcvn3.txt', Buffer.from([0x4b, 0xd5, 0x20, 0x68, 0x6f, 0xb9, 0x63, 0x68, 0x0a]));
}

// Scanned PDFs in the encodings archives use besides JPEG: JPEG 2000 (pdf.js decodes it with
// its OpenJPEG wasm, which renders blank without `wasmUrl`) and CCITT Group 4 (bilevel scans).
async function archiveScans() {
  const scan = textImage(scanLines);
  const scratch = mkdtempSync(join(tmpdir(), 'vnplan-fixtures-'));
  try {
    const gray = await sharp(scan.png).greyscale().raw().toBuffer({ resolveWithObject: true });
    // opj_compress reads PGM: a tiny header and the gray bytes.
    const pgm = join(scratch, 'scan.pgm');
    writeFileSync(pgm, Buffer.concat([Buffer.from(`P5\n${gray.info.width} ${gray.info.height}\n255\n`), gray.data]));
    const jp2 = join(scratch, 'scan.jp2');
    execFileSync('opj_compress', ['-i', pgm, '-o', jp2, '-r', '20'], { stdio: 'ignore' });
    const pdf = await PDFDocument.create();
    const w = (scan.width * 72) / scan.dpi;
    const h = (scan.height * 72) / scan.dpi;
    const stream = pdf.context.stream(readFileSync(jp2), {
      Type: 'XObject',
      Subtype: 'Image',
      Width: scan.width,
      Height: scan.height,
      ColorSpace: 'DeviceGray',
      BitsPerComponent: 8,
      Filter: 'JPXDecode',
    });
    const image = pdf.context.register(stream);
    const page = pdf.addPage([w, h]);
    page.node.setXObject(PDFName.of('Scan'), image);
    const content = pdf.context.stream(`q ${w} 0 0 ${h} 0 0 cm /Scan Do Q`);
    page.node.set(PDFName.of('Contents'), pdf.context.register(content));
    const saved = await pdf.save({ useObjectStreams: false });
    write('jpx.pdf', saved);
    // The same page with its image data scrambled past the codestream header, as a damaged
    // copy or transfer leaves it: pdf.js drops such an image silently and the page renders blank.
    const damaged = Buffer.from(saved);
    const start = damaged.indexOf('stream', damaged.indexOf('JPXDecode')) + 200;
    for (let index = start; index < start + 3000; index++) damaged[index] = (damaged[index] * 31 + 7) & 255;
    write('damaged-image.pdf', damaged);
    write('jpx.truth.txt', scanLines.join('\n') + '\n');

    const tiff = join(scratch, 'scan.tiff');
    await sharp(gray.data, { raw: { width: gray.info.width, height: gray.info.height, channels: 1 } })
      .threshold(128)
      .toColourspace('b-w')
      .tiff({ compression: 'ccittfax4', bitdepth: 1, xres: scan.dpi / 25.4, yres: scan.dpi / 25.4 })
      .toFile(tiff);
    execFileSync('tiff2pdf', ['-o', out + 'ccitt.pdf', tiff]);
    write('ccitt.truth.txt', scanLines.join('\n') + '\n');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const steps = { 'born-digital': bornDigital, mixed, images, 'png-30000': png30000, 'bad-files': badFiles, 'archive-scans': archiveScans };
const wanted = process.argv.slice(2);
for (const [name, step] of Object.entries(steps)) if (wanted.length === 0 || wanted.includes(name)) await step();
console.log('wrote', out);
