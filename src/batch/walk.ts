import { open, readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve, sep } from 'node:path';
import type { SourceKind } from '../model/doc.js';
import { VnplanError, isVnplanError } from '../errors.js';
import { SNIFF_BYTES, detectKind } from '../stages/ingest/index.js';

/** A file found under the paths the user gave. */
export interface FoundFile {
  /** Path to open (as given, joined with the walk). */
  path: string;
  /** Path relative to its root, `/`-separated: mirrored under the output folder. */
  rel: string;
  /** How reports name it: `rel` for files found in folders, the path as given for files named on the command line. */
  display: string;
  /** Named on the command line (always treated as an input) rather than found in a folder. */
  explicit: boolean;
}

/** A found file classified: an input to convert, or skipped with a reason. */
export type Classified =
  | (FoundFile & { role: 'input'; kind: SourceKind | null })
  | (FoundFile & { role: 'skipped'; reason: string });

// Names that claim to be a document we read. A file with one of these names
// whose content is not that (an HTML page saved as .pdf, a 0-byte .pdf) is a
// failed input the user must hear about, not something silently skipped.
const inputExtensions = new Set(['.pdf', '.png', '.jpg', '.jpeg', '.tif', '.tiff', '.txt']);

/**
 * Walk the paths given on the command line: files as they are, folders
 * recursively in a stable (code-unit) order. The output folder is never
 * walked, so `vnplan convert scans -o scans/out` does not convert its own output.
 *
 * Relative paths: with one folder argument, files are placed relative to
 * it (`scans/a/b.pdf` → `a/b.pdf`); otherwise each file argument keeps its
 * base name and each folder argument its own name as the top folder.
 *
 * @param paths Files and folders as given.
 * @param outDir Output folder (excluded from the walk).
 * @throws {VnplanError} `INPUT_NOT_FOUND` / `INPUT_UNREADABLE` for a path given that cannot be read.
 */
export async function findFiles(paths: readonly string[], outDir: string): Promise<FoundFile[]> {
  const outAbsolute = resolve(outDir);
  const found: FoundFile[] = [];
  for (const given of paths) {
    const info = await stat(given).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new VnplanError('INPUT_NOT_FOUND', 'no such file or folder', { path: given });
      throw new VnplanError('INPUT_UNREADABLE', `cannot read (${error.code ?? error.message})`, { path: given });
    });
    if (info.isDirectory()) {
      const prefix = paths.length === 1 ? '' : `${basename(resolve(given))}/`;
      await walkFolder(given, prefix, outAbsolute, found);
    } else {
      found.push({ path: given, rel: basename(given), display: given, explicit: true });
    }
  }
  return found;
}

async function walkFolder(folder: string, prefix: string, outAbsolute: string, found: FoundFile[]): Promise<void> {
  if (resolve(folder) === outAbsolute) return;
  const entries = await readdir(folder, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new VnplanError('INPUT_UNREADABLE', `cannot list the folder (${error.code ?? error.message})`, { path: folder });
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    const rel = `${prefix}${entry.name}`;
    if (entry.isDirectory()) await walkFolder(path, `${rel}/`, outAbsolute, found);
    else found.push({ path, rel, display: rel, explicit: false });
  }
}

/**
 * Decide what a found file is by its first bytes (`detectKind` of the
 * ingest stage). Rules for files found in folders:
 * - PDF, PNG, JPEG, TIFF content: an input, whatever its name;
 * - plain text: an input only when named `.txt` or another input type
 *   (folders hold READMEs and `desktop.ini` files that are text but not
 *   documents; text named `.pdf` is converted as the text it is);
 * - anything else: skipped, unless its name claims an input type
 *   (`.pdf`, `.png`, `.jpg`, `.tif`, `.txt`…): then it is an input that will fail with
 *   a clear error (corrupt, empty, unsupported).
 * A file named on the command line is always an input.
 */
export async function classify(file: FoundFile): Promise<Classified> {
  const info = await stat(file.path).catch(() => undefined);
  if (info && !info.isFile()) {
    if (file.explicit) return { ...file, role: 'input', kind: null };
    return { ...file, role: 'skipped', reason: info.isDirectory() ? 'link to a folder (not followed)' : 'not a regular file' };
  }
  const claimsInput = inputExtensions.has(extname(file.path).toLowerCase());
  let kind: SourceKind | null = null;
  let problem: string | undefined;
  try {
    kind = detectKind(await readHead(file.path));
  } catch (error) {
    problem = isVnplanError(error) ? error.message : 'cannot read the file';
  }
  if (kind !== null && kind !== 'text') return { ...file, role: 'input', kind };
  if (kind === 'text') {
    if (file.explicit || claimsInput) return { ...file, role: 'input', kind };
    return { ...file, role: 'skipped', reason: 'text file not named .txt' };
  }
  if (file.explicit || claimsInput) return { ...file, role: 'input', kind: null };
  return { ...file, role: 'skipped', reason: problem ?? 'unsupported file type' };
}

async function readHead(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Output location of one input: folder relative to the output root (`/`-separated, '' for the root) and stem. */
export interface OutputName {
  folder: string;
  stem: string;
}

/**
 * Name the outputs: `a/b.pdf` → folder `a`, stem `b` (so `out/a/b.json`).
 * Two inputs that would share a stem in one folder (`b.pdf` and `b.png`,
 * or `B.pdf` and `b.pdf` on a case-insensitive disk) both keep their full
 * name instead (`b.pdf.json`, `b.png.json`): deterministic, and no input
 * silently overwrites another.
 *
 * @param rels Relative input paths, in walk order.
 * @returns One name per input, same order.
 */
export function nameOutputs(rels: readonly string[]): OutputName[] {
  const split = rels.map((rel) => {
    const slash = rel.lastIndexOf('/');
    const folder = slash < 0 ? '' : rel.slice(0, slash);
    const name = rel.slice(slash + 1);
    const extension = extname(name);
    return { folder, name, stem: extension && extension !== name ? name.slice(0, -extension.length) : name };
  });
  const count = new Map<string, number>();
  const keyOf = (folder: string, stem: string) => `${folder}/${stem}`.toLowerCase();
  for (const { folder, stem } of split) count.set(keyOf(folder, stem), (count.get(keyOf(folder, stem)) ?? 0) + 1);
  const taken = new Set<string>();
  return split.map(({ folder, name, stem }) => {
    let chosen = (count.get(keyOf(folder, stem)) ?? 0) > 1 ? name : stem;
    // Still clashing (e.g. `B.PDF` and `b.pdf`): number them in walk order.
    for (let n = 2; taken.has(keyOf(folder, chosen)); n++) chosen = `${name}-${n}`;
    taken.add(keyOf(folder, chosen));
    return { folder, stem: chosen };
  });
}

/** Join a `/`-separated relative path onto a platform folder. */
export function joinRel(root: string, rel: string): string {
  return rel === '' ? root : join(root, ...rel.split('/'));
}

/** `/`-separated form of a relative platform path. */
export function toPosix(path: string): string {
  return path.split(sep).join('/');
}
