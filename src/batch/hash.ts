import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * sha256 of a file, streamed so a 500 MB scan never sits in memory at once.
 *
 * @param path File to hash.
 * @returns Lowercase hex digest.
 */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** sha256 of a string or bytes, lowercase hex. */
export function sha256Of(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * A fingerprint of every file under a folder: the hash of the sorted list of
 * `relative/path\tsha256` lines. A changed, added or removed dictionary file
 * changes it, so outputs made with other dictionaries are not reused.
 *
 * @param folder Folder to fingerprint; a missing folder gives the hash of nothing.
 */
export async function fingerprintFolder(folder: string): Promise<string> {
  const files = await listFiles(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const lines: string[] = [];
  // Code-unit order, not locale order: the same on every machine.
  for (const file of files.sort()) {
    const rel = relative(folder, file).split(sep).join('/');
    lines.push(`${rel}\t${sha256Of(await readFile(file))}`);
  }
  return sha256Of(lines.join('\n'));
}

async function listFiles(folder: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
