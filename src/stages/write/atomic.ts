import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { VnplanError } from '../../errors.js';

/**
 * Publish several files together: each is written to a hidden temporary
 * sibling and fsynced; only when all are on disk are they renamed into
 * place. A failure before the renames leaves no output at all, and a reader
 * never sees a half-written file. Renames are atomic per file on POSIX.
 *
 * @param files Target path → content.
 * @throws {VnplanError} `OUTPUT_ACCESS` when the folder cannot be created or written.
 */
export async function writeFilesAtomically(files: ReadonlyArray<readonly [string, string]>): Promise<void> {
  const staged: Array<[string, string]> = [];
  try {
    // A target that is a folder would fail its rename after the others were
    // published: find that out before anything is written.
    for (const [target] of files) {
      const existing = await lstat(target).catch(() => undefined);
      if (existing && !existing.isFile()) {
        throw Object.assign(new Error(`${target} exists and is not a file`), { code: 'EISDIR' });
      }
    }
    for (const [target, content] of files) {
      await mkdir(dirname(target), { recursive: true });
      const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      staged.push([temporary, target]);
      const handle = await open(temporary, 'wx', 0o644);
      try {
        await handle.writeFile(content, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    for (const [temporary, target] of staged) await rename(temporary, target);
    await syncFolders(staged.map(([, target]) => dirname(target)));
  } catch (error) {
    await Promise.all(staged.map(([temporary]) => rm(temporary, { force: true })));
    const code = (error as NodeJS.ErrnoException).code;
    const target = staged.at(-1)?.[1] ?? files[0]?.[0] ?? '';
    throw new VnplanError('OUTPUT_ACCESS', `cannot write the output ${target} (${code ?? String(error)})`, {
      cause: error,
    });
  }
}

// The rename is only durable once the folder entry is flushed too.
async function syncFolders(folders: string[]): Promise<void> {
  for (const folder of new Set(folders)) {
    const handle = await open(folder, 'r').catch(() => undefined);
    if (!handle) continue;
    await handle.sync().catch(() => undefined);
    await handle.close();
  }
}
