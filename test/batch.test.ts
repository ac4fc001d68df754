// Batch conversion of folders through the built CLI: mixed good and bad
// inputs, resume, kill -9 and Ctrl-C in the middle of a run.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintFolder } from '../src/batch/hash.js';
import { nameOutputs } from '../src/batch/walk.js';
import type { Summary } from '../src/batch/summary.js';
import { buildCli, root, runCli, type BuiltCli } from './support/built-cli.js';

const seed = readFileSync(join(root, 'fixtures', 'batch', 'khanhhoa-2024-clean.excerpt.txt'), 'utf8');
const seedB = readFileSync(join(root, 'fixtures', 'batch', 'binhthuan-2023-legacy-ocr-b.excerpt.txt'), 'utf8');
const scan = join(root, 'fixtures', 'scans', 'quyetdinh-clean-300.pdf');
let cli: BuiltCli;
let work: string;


const vnplan = (args: string[]) => runCli(cli, args, work);

function put(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** Every file under a folder: relative path → bytes. */
function tree(folder: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files.set(relative(folder, join(entry.parentPath, entry.name)), readFileSync(join(entry.parentPath, entry.name)));
  }
  return files;
}

const outputsOf = (files: Map<string, Buffer>) => new Map([...files].filter(([path]) => /\.(json|txt|md)$/.test(path) && !path.endsWith('vnplan-summary.json')));
const readSummaryFile = (out: string) => JSON.parse(readFileSync(join(work, out, 'vnplan-summary.json'), 'utf8')) as Summary;

// A folder of many small text inputs (different slices of a real plan), so a
// run lasts long enough to be interrupted, and fast enough for a test.
function makeManyInputs(folder: string, count: number): void {
  const step = Math.floor((seed.length - 1200) / count);
  for (let index = 0; index < count; index++) {
    put(join(work, folder, `nhom-${index % 3}`, `vb-${String(index).padStart(3, '0')}.txt`), seed.slice(index * step, index * step + 1200));
  }
}

beforeAll(() => {
  cli = buildCli();
  work = mkdtempSync(join(tmpdir(), 'vnplan-batch-'));
  // The mixed folder: good inputs in nested folders (one a real scan, named
  // in capitals), broken inputs, and files that are not documents.
  put(join(work, 'mixed', 'ke-hoach-2024.txt'), seed.slice(0, 2500));
  put(join(work, 'mixed', 'binh-thuan', '2023', 'ke-hoach.txt'), seedB.slice(0, 2000));
  copyFileSync(scan, join(work, 'mixed', 'binh-thuan', 'QUYET-DINH.PDF'));
  put(join(work, 'mixed', 'trung', 'x.txt'), seed.slice(3000, 3600));
  put(join(work, 'mixed', 'trung', 'x.TXT'), seed.slice(4000, 4600));
  put(join(work, 'mixed', 'rong.pdf'), '');
  put(join(work, 'mixed', 'loi', 'trang-web.pdf'), '<!doctype html><html><body>Không tìm thấy</body></html>\n');
  put(join(work, 'mixed', 'loi', 'cut.pdf'), '%PDF-1.5\n%%EOF\n');
  put(join(work, 'mixed', 'loi', 'tcvn3.txt'), Buffer.from([0x4b, 0xd5, 0x20, 0x68, 0x6f, 0xb9, 0x63, 0x68, 0x0a]));
  put(join(work, 'mixed', 'desktop.ini'), '[.ShellClassInfo]\nIconResource=C:\\x.ico\n');
  put(join(work, 'mixed', 'bien-ban.docx'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00]));
  put(join(work, 'mixed', '.DS_Store'), Buffer.from([0x00, 0x00, 0x00, 0x01, 0x42, 0x75, 0x64, 0x31, 0x00, 0x00]));
  makeManyInputs('many', 80);
}, 120_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  cli?.remove();
});

describe('a mixed folder', () => {
  let first: ReturnType<typeof vnplan>;
  beforeAll(() => {
    first = vnplan(['convert', 'mixed', '-o', 'out-mixed', '-j', '2']);
  }, 300_000);

  it('converts the good inputs, reports the bad ones, skips the rest, exits 10', () => {
    expect(first.code).toBe(10);
    const summary = readSummaryFile('out-mixed');
    expect(summary.complete).toBe(true);
    const status = Object.fromEntries(summary.files.map((entry) => [entry.input, [entry.status, entry.error?.code ?? entry.reason ?? null]]));
    expect(status).toEqual({
      '.DS_Store': ['skipped', expect.stringMatching(/unsupported/)],
      'bien-ban.docx': ['skipped', expect.stringMatching(/unsupported/)],
      'binh-thuan/2023/ke-hoach.txt': ['ok', null],
      'binh-thuan/QUYET-DINH.PDF': ['ok', null],
      'desktop.ini': ['skipped', 'text file not named .txt'],
      'ke-hoach-2024.txt': ['ok', null],
      'loi/cut.pdf': ['failed', 'INPUT_CORRUPT'],
      'loi/tcvn3.txt': ['failed', 'INPUT_NOT_UTF8'],
      'loi/trang-web.pdf': ['failed', 'INPUT_UNSUPPORTED'],
      'rong.pdf': ['failed', 'INPUT_EMPTY'],
      'trung/x.TXT': ['ok', null],
      'trung/x.txt': ['ok', null],
    });
    expect(summary.totals).toMatchObject({ files: 12, ok: 5, failed: 4, skipped: 3, resumed: 0, pending: 0 });
    const scanEntry = summary.files.find((entry) => entry.input === 'binh-thuan/QUYET-DINH.PDF')!;
    expect(scanEntry).toMatchObject({ kind: 'pdf', pages: 1, output: 'binh-thuan/QUYET-DINH' });
    expect(scanEntry.confidence).toBeGreaterThan(50);
    expect(summary.totals.confidence).toBe(scanEntry.confidence);
  });

  it('mirrors the folders under the output folder and writes nothing for failures', () => {
    const files = [...tree(join(work, 'out-mixed')).keys()].sort();
    expect(files).toEqual([
      'binh-thuan/2023/ke-hoach.json',
      'binh-thuan/2023/ke-hoach.md',
      'binh-thuan/2023/ke-hoach.txt',
      'binh-thuan/QUYET-DINH.json',
      'binh-thuan/QUYET-DINH.md',
      'binh-thuan/QUYET-DINH.txt',
      'ke-hoach-2024.json',
      'ke-hoach-2024.md',
      'ke-hoach-2024.txt',
      // Two inputs whose stems clash keep their full names, and names that
      // differ only in case are numbered (they would clash on macOS/Windows).
      'trung/x.TXT.json',
      'trung/x.TXT.md',
      'trung/x.TXT.txt',
      'trung/x.txt-2.json',
      'trung/x.txt-2.md',
      'trung/x.txt-2.txt',
      'vnplan-summary.json',
    ]);
    const doc = JSON.parse(readFileSync(join(work, 'out-mixed', 'binh-thuan', 'QUYET-DINH.json'), 'utf8'));
    expect(doc.source.fileName).toBe('QUYET-DINH.PDF');
    expect(readFileSync(join(work, 'out-mixed', 'binh-thuan', 'QUYET-DINH.txt'), 'utf8')).toMatch(/QUYẾT ĐỊNH/);
  });

  it('prints one plain line per file when stderr is not a terminal, then the totals', () => {
    expect(first.stderr).not.toMatch(/\u001b\[/); // no terminal escapes
    const perFile = first.lines.filter((line) => /^(ok|failed|skipped) +[^\s\d]/.test(line));
    expect(perFile).toHaveLength(12);
    expect(perFile).toContain('failed   rong.pdf: the file is empty (0 bytes) [INPUT_EMPTY]');
    expect(perFile.find((line) => line.includes('QUYET-DINH.PDF'))).toMatch(/^ok {7}binh-thuan\/QUYET-DINH\.PDF → out-mixed\/binh-thuan\/QUYET-DINH\.\{json,txt,md\} {2}1 page, [\d.]+ s, OCR [\d.]+(, |$)/);
    expect(first.stderr).toMatch(/status +files +pages\nok +5 +\d+\nfailed +4 +-\nskipped +3 +-\ntotal +12 +\d+\n/);
    expect(first.stderr).toMatch(/summary: out-mixed\/vnplan-summary\.json/);
  });

  it('a re-run reuses every result, rewrites nothing and exits 10 again', () => {
    const before = tree(join(work, 'out-mixed'));
    const mtimes = [...before.keys()].filter((path) => !path.endsWith('summary.json')).map((path) => statSync(join(work, 'out-mixed', path)).mtimeMs);
    const again = vnplan(['convert', 'mixed', '-o', 'out-mixed', '-j', '2']);
    expect(again.code).toBe(10);
    const summary = readSummaryFile('out-mixed');
    expect(summary.totals).toMatchObject({ ok: 5, failed: 4, skipped: 3, resumed: 9, pagesThisRun: 0 });
    const after = [...before.keys()].filter((path) => !path.endsWith('summary.json')).map((path) => statSync(join(work, 'out-mixed', path)).mtimeMs);
    expect(after).toEqual(mtimes);
    expect(again.lines.filter((line) => /^failed +[^\s\d]/.test(line)).every((line) => line.endsWith('(earlier run; --retry-failed redoes it)'))).toBe(true);
  }, 120_000);

  it('redoes a changed input, and an input whose output was damaged', () => {
    const old = readFileSync(join(work, 'out-mixed', 'trung', 'x.txt-2.txt'), 'utf8');
    put(join(work, 'mixed', 'trung', 'x.txt'), seed.slice(5000, 5600));
    writeFileSync(join(work, 'out-mixed', 'ke-hoach-2024.json'), '{"truncated": ');
    const again = vnplan(['convert', 'mixed', '-o', 'out-mixed', '-j', '2']);
    expect(again.code).toBe(10);
    const summary = readSummaryFile('out-mixed');
    const redone = summary.files.filter((entry) => entry.status !== 'skipped' && !entry.resumed).map((entry) => entry.input);
    expect(redone.sort()).toEqual(['ke-hoach-2024.txt', 'trung/x.txt']);
    expect(readFileSync(join(work, 'out-mixed', 'trung', 'x.txt-2.txt'), 'utf8')).not.toBe(old);
    expect(() => JSON.parse(readFileSync(join(work, 'out-mixed', 'ke-hoach-2024.json'), 'utf8'))).not.toThrow();
  }, 120_000);

  it('--retry-failed redoes only the failures; --force redoes everything', () => {
    // Repair one failure first: the retry must pick it up.
    put(join(work, 'mixed', 'rong.pdf'), seed.slice(0, 100));
    const retry = vnplan(['convert', 'mixed', '-o', 'out-mixed', '--retry-failed']);
    expect(retry.code).toBe(10);
    let summary = readSummaryFile('out-mixed');
    const redone = summary.files.filter((entry) => entry.status !== 'skipped' && !entry.resumed).map((entry) => entry.input);
    expect(redone.sort()).toEqual(['loi/cut.pdf', 'loi/tcvn3.txt', 'loi/trang-web.pdf', 'rong.pdf']);
    // Text content in a file named .pdf is converted as the text it is.
    expect(summary.files.find((entry) => entry.input === 'rong.pdf')).toMatchObject({ status: 'ok', kind: 'text' });

    const force = vnplan(['convert', 'mixed', '-o', 'out-mixed', '--force', '-j', '2']);
    expect(force.code).toBe(10);
    summary = readSummaryFile('out-mixed');
    expect(summary.totals).toMatchObject({ ok: 6, failed: 3, resumed: 0 });
  }, 120_000);

  it('never walks its own output folder inside the input folder', () => {
    put(join(work, 'nested', 'a.txt'), seed.slice(0, 700));
    put(join(work, 'nested', 'sub', 'b.txt'), seedB.slice(0, 700));
    expect(vnplan(['convert', 'nested', '-o', 'nested/out']).code).toBe(0);
    const again = vnplan(['convert', 'nested', '-o', 'nested/out']);
    expect(again.code).toBe(0);
    expect(readSummaryFile('nested/out').files.map((entry) => [entry.input, entry.resumed])).toEqual([
      ['a.txt', true],
      ['sub/b.txt', true],
    ]);
  }, 120_000);
});

describe('interruptions', () => {
  let clean: Map<string, Buffer>;
  beforeAll(() => {
    const run = vnplan(['convert', 'many', '-o', 'out-clean', '-j', '2', '--quiet']);
    expect(run.code).toBe(0);
    clean = outputsOf(tree(join(work, 'out-clean')));
    expect(clean.size).toBe(80 * 3);
  }, 300_000);

  // Watch the output folder while a run goes on: any output file visible
  // at any moment must already be complete (identical to the clean run's).
  function watch(out: string, onPoll: (visible: number) => void): { stop(): string[] } {
    const problems: string[] = [];
    let active = true;
    const poll = () => {
      if (!active) return;
      const folder = join(work, out);
      let visible = 0;
      if (existsSync(folder)) {
        for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
          if (!entry.isFile() || entry.name.startsWith('.')) continue; // hidden: staging files
          const path = relative(folder, join(entry.parentPath, entry.name));
          if (path === 'vnplan-summary.json') {
            try {
              JSON.parse(readFileSync(join(folder, path), 'utf8'));
            } catch (error) {
              if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`${path}: not valid JSON`);
            }
            continue;
          }
          if (path.endsWith('.tmp')) problems.push(`${path}: temporary file in view`);
          const bytes = (() => {
            try {
              return readFileSync(join(folder, path));
            } catch {
              return undefined; // replaced between listing and reading
            }
          })();
          if (bytes && !bytes.equals(clean.get(path) ?? Buffer.alloc(0))) problems.push(`${path}: differs from a clean run (partial?)`);
          visible++;
        }
      }
      onPoll(visible);
      setTimeout(poll, 5);
    };
    poll();
    return {
      stop() {
        active = false;
        return problems;
      },
    };
  }

  function startRun(out: string) {
    const child = spawn(process.execPath, [cli.bin, 'convert', 'many', '-o', out, '-j', '2'], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    return { child, exited, stderr: () => stderr };
  }

  it('kill -9 mid-run leaves no partial file, and a resume ends byte-identical to a clean run', async () => {
    const run = startRun('out-killed');
    const watcher = watch('out-killed', (visible) => {
      if (visible >= 90 && run.child.exitCode === null) run.child.kill('SIGKILL');
    });
    const { signal } = await run.exited;
    const problems = watcher.stop();
    expect(signal).toBe('SIGKILL');
    expect(problems).toEqual([]);
    const killed = outputsOf(tree(join(work, 'out-killed')));
    expect(killed.size).toBeGreaterThan(0);
    expect(killed.size).toBeLessThan(clean.size); // really mid-run

    const resume = vnplan(['convert', 'many', '-o', 'out-killed', '-j', '2']);
    expect(resume.code).toBe(0);
    const summary = readSummaryFile('out-killed');
    expect(summary.complete).toBe(true);
    expect(summary.totals.resumed).toBeGreaterThan(0);
    expect(summary.totals.resumed).toBeLessThan(80);
    const resumed = tree(join(work, 'out-killed'));
    expect([...resumed.keys()].filter((path) => path.endsWith('.tmp') || path.endsWith('.lock'))).toEqual([]);
    const outputs = outputsOf(resumed);
    expect([...outputs.keys()].sort()).toEqual([...clean.keys()].sort());
    for (const [path, bytes] of clean) expect(outputs.get(path)?.equals(bytes), path).toBe(true);
  }, 300_000);

  it('Ctrl-C stops taking work, exits 130, says how to resume, and the resume completes', async () => {
    const run = startRun('out-sigint');
    let sent = false;
    const watcher = watch('out-sigint', (visible) => {
      if (!sent && visible >= 45) {
        sent = true;
        run.child.kill('SIGINT');
      }
    });
    const { code } = await run.exited;
    const problems = watcher.stop();
    expect(code).toBe(130);
    expect(problems).toEqual([]);
    expect(run.stderr()).toMatch(/interrupted: \d+ of 80 inputs done; no partial output was written\. Run the same command again to resume:\n {2}vnplan convert many -o out-sigint -j 2\n/);
    const stopped = tree(join(work, 'out-sigint'));
    expect([...stopped.keys()].filter((path) => path.endsWith('.tmp') || path.endsWith('.lock'))).toEqual([]);
    const summary = readSummaryFile('out-sigint');
    expect(summary.complete).toBe(false);
    expect(summary.totals.pending).toBeGreaterThan(0);
    expect(outputsOf(stopped).size).toBeLessThan(clean.size);

    const resume = vnplan(['convert', 'many', '-o', 'out-sigint', '-j', '2', '--quiet']);
    expect(resume.code).toBe(0);
    expect(resume.stderr).toBe('');
    const outputs = outputsOf(tree(join(work, 'out-sigint')));
    expect(outputs.size).toBe(clean.size);
    for (const [path, bytes] of clean) expect(outputs.get(path)?.equals(bytes), path).toBe(true);
  }, 300_000);
});

describe('naming and fingerprints', () => {
  it('names outputs by stem, keeping full names where stems clash', () => {
    expect(nameOutputs(['a.pdf', 'sub/a.pdf', 'b.pdf', 'b.png', 'C.tif', 'c.txt', 'noext', 'v.1.2.txt'])).toEqual([
      { folder: '', stem: 'a' },
      { folder: 'sub', stem: 'a' },
      { folder: '', stem: 'b.pdf' },
      { folder: '', stem: 'b.png' },
      { folder: '', stem: 'C.tif' },
      { folder: '', stem: 'c.txt' },
      { folder: '', stem: 'noext' },
      { folder: '', stem: 'v.1.2' },
    ]);
  });

  it('fingerprints a dictionaries folder by content', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'vnplan-dict-'));
    put(join(folder, 'terms', 'a.txt'), 'Ủy ban nhân dân\n');
    const first = await fingerprintFolder(folder);
    expect(await fingerprintFolder(folder)).toBe(first);
    put(join(folder, 'terms', 'a.txt'), 'Uỷ ban nhân dân\n');
    const changed = await fingerprintFolder(folder);
    expect(changed).not.toBe(first);
    put(join(folder, 'terms', 'b.txt'), '');
    expect(await fingerprintFolder(folder)).not.toBe(changed);
    expect(await fingerprintFolder(join(folder, 'missing'))).toMatch(/^[0-9a-f]{64}$/);
    rmSync(folder, { recursive: true });
  });
});
