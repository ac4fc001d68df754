import { access, constants, mkdir, open, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { VnplanError } from '../errors.js';

const LOCK_FILE = '.vnplan.lock';

// Temporary files of `writeFilesAtomically`: `.<name>.<pid>.<8 hex>.tmp`.
const temporaryName = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * Make sure the output folder exists and is writable before any work starts
 * (OCRmyPDF checks this first too: failing after an hour of OCR is worse).
 *
 * @throws {VnplanError} `OUTPUT_ACCESS`.
 */
export async function prepareOutFolder(outDir: string): Promise<void> {
  try {
    await mkdir(outDir, { recursive: true });
    await access(outDir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new VnplanError('OUTPUT_ACCESS', `cannot write to the output folder (${code})`, { path: outDir, cause: error });
  }
}

/**
 * Take the output folder for this run: two runs writing into one folder
 * would race on the summary. A lock left by a run that was killed (its
 * process is gone) is taken over.
 *
 * @returns A function that releases the lock.
 * @throws {VnplanError} `OUTPUT_ACCESS` when a live run holds the folder.
 */
export async function lockOutFolder(outDir: string): Promise<() => Promise<void>> {
  const path = join(outDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new VnplanError('OUTPUT_ACCESS', `cannot create ${LOCK_FILE} in the output folder`, { path: outDir, cause: error });
      }
      const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new VnplanError(
          'OUTPUT_ACCESS',
          `another vnplan run (process ${holder}) is writing to this output folder; wait for it or remove ${LOCK_FILE} if it is gone`,
          { path: outDir },
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new VnplanError('OUTPUT_ACCESS', `cannot take ${LOCK_FILE} in the output folder`, { path: outDir });
}

/**
 * Delete temporary files left by a run that was killed mid-write (their
 * process is gone). Only names of the atomic writer's pattern are touched.
 *
 * @returns How many files were removed.
 */
export async function sweepStaleTemporaries(folder: string): Promise<number> {
  let removed = 0;
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      removed += await sweepStaleTemporaries(path);
      continue;
    }
    const match = temporaryName.exec(entry.name);
    if (!match || !entry.isFile()) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || isAlive(pid)) continue;
    await rm(path, { force: true });
    removed++;
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
