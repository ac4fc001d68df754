/**
 * Ingest: read an input file, tell its kind by content and hash it.
 * The only place (with `write`) that touches the filesystem for inputs.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { SourceKind } from '../../model/doc.js';
import { VnplanError, isVnplanError } from '../../errors.js';
import { decodeUtf8, detectKind } from './detect-kind.js';

export { detectKind, decodeUtf8, SNIFF_BYTES } from './detect-kind.js';
export { textToPages } from './text-pages.js';

/** An input file read into memory, its kind known. */
export interface IngestedFile {
  /** Path as given. */
  path: string;
  /** Base name of the file. */
  fileName: string;
  /** Kind told from the content (magic bytes), not the extension. */
  kind: SourceKind;
  /** sha256 of the bytes, lowercase hex. */
  sha256: string;
  /** The file's bytes. */
  bytes: Buffer;
  /** Decoded text (UTF-8, NFC, no BOM); only for `kind: 'text'`. */
  text?: string;
}

/**
 * Read an input file and identify it.
 *
 * @param path File to read.
 * @returns The file's bytes, kind, hash and (for text) decoded text.
 * @throws {VnplanError} `INPUT_NOT_FOUND`, `INPUT_UNREADABLE`, `INPUT_EMPTY`,
 *   `INPUT_UNSUPPORTED` or `INPUT_NOT_UTF8`, each carrying `path`.
 */
export async function ingest(path: string): Promise<IngestedFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new VnplanError('INPUT_NOT_FOUND', 'no such file', { path, cause: error });
    const reason = code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : String(code ?? error);
    throw new VnplanError('INPUT_UNREADABLE', `cannot read the file (${reason})`, { path, cause: error });
  }
  try {
    const kind = detectKind(bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const file: IngestedFile = { path, fileName: basename(path), kind, sha256, bytes };
    if (kind === 'text') file.text = decodeUtf8(bytes);
    return file;
  } catch (error) {
    if (isVnplanError(error)) throw new VnplanError(error.code, error.message, { path, cause: error.cause });
    throw error;
  }
}
