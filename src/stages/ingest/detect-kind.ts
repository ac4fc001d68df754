import type { SourceKind } from '../../model/doc.js';
import { VnplanError } from '../../errors.js';

/** How many leading bytes `detectKind` needs at most. */
export const SNIFF_BYTES = 4096;

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte);

// PDF readers accept the header anywhere in the first 1024 bytes (junk before
// `%PDF-` is common in files from mail gateways), so we do too.
function hasPdfHeader(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  return head.includes('%PDF-');
}

const markupStart = /^\s*(<!doctype\s|<html[\s>]|<\?xml\s|<head[\s>]|<body[\s>]|<svg[\s>])/i;

/**
 * Tell the kind of an input from its content (magic bytes), never its name.
 *
 * Text is what is left: bytes with no control characters other than tab, line
 * and page breaks. Markup (HTML, XML, SVG) is text too, but not a document we
 * can read, so it is refused like any other unsupported type.
 *
 * @param bytes The whole file, or at least its first `SNIFF_BYTES` bytes.
 * @returns The kind; text is not yet checked to be UTF-8 (see `decodeUtf8`).
 * @throws {VnplanError} `INPUT_EMPTY` for 0 bytes; `INPUT_UNSUPPORTED` when no known type matches.
 */
export function detectKind(bytes: Uint8Array): SourceKind {
  if (bytes.length === 0) throw new VnplanError('INPUT_EMPTY', 'the file is empty (0 bytes)');
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  // BigTIFF: libvips reads it, so accept it as TIFF.
  if (startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b])) return 'tiff';
  if (hasPdfHeader(bytes)) return 'pdf';
  if (startsWith(bytes, [0xfe, 0xff]) || startsWith(bytes, [0xff, 0xfe])) {
    throw new VnplanError('INPUT_NOT_UTF8', 'the text is UTF-16 (byte-order mark found); save it as UTF-8');
  }
  const head = bytes.subarray(0, SNIFF_BYTES);
  if (!looksLikeText(head)) {
    throw new VnplanError(
      'INPUT_UNSUPPORTED',
      'unsupported file type: not a PDF, PNG, JPEG, TIFF or plain-text file',
    );
  }
  const start = Buffer.from(head).toString('latin1').replace(/^\u00ef\u00bb\u00bf/, '');
  if (markupStart.test(start)) {
    throw new VnplanError(
      'INPUT_UNSUPPORTED',
      'unsupported file type: HTML/XML markup, not a PDF, PNG, JPEG, TIFF or plain-text file',
    );
  }
  return 'text';
}

// Binary files are full of NUL and other C0 controls; text (in any 8-bit or
// UTF-8 encoding) has none but tab, LF, CR and form feed.
function looksLikeText(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x1b) return false;
    if (byte === 0x7f) return false;
  }
  return true;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decode a text file as UTF-8, dropping a byte-order mark, NFC-normalized.
 *
 * @throws {VnplanError} `INPUT_NOT_UTF8` when the bytes are not valid UTF-8
 *   (e.g. a TCVN3 or Windows-1258 file), with the offset of the first bad byte.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes).normalize('NFC');
  } catch (error) {
    const offset = firstInvalidUtf8(bytes);
    throw new VnplanError(
      'INPUT_NOT_UTF8',
      `the text is not valid UTF-8 (first bad byte at offset ${offset}); convert it to UTF-8 first (legacy TCVN3/VNI/Windows-1258 files are not supported yet)`,
      { cause: error },
    );
  }
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index];
    const length = byte < 0x80 ? 1 : byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
    if (length === 0) return index;
    for (let next = 1; next < length; next++) {
      if (index + next >= bytes.length || (bytes[index + next] & 0xc0) !== 0x80) return index;
    }
    index += length;
  }
  return index;
}
