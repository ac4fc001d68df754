// The `vnplan` command as a user runs it: a built `dist/cli/index.js` in a
// child process, its exit code, its stderr, and what it leaves on disk.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, root, runCli, type BuiltCli } from './support/built-cli.js';

const excerpts = join(root, 'fixtures', 'batch');
let cli: BuiltCli;
let work: string;


const vnplan = (args: string[]) => runCli(cli, args, work);

// Real text from a plan: the first `chars` characters of an excerpt.
function excerpt(name: string, chars: number): string {
  return readFileSync(join(excerpts, name), 'utf8').slice(0, chars);
}

beforeAll(() => {
  cli = buildCli();
  work = mkdtempSync(join(tmpdir(), 'vnplan-cli-'));
  writeFileSync(join(work, 'ke-hoach.txt'), excerpt('khanhhoa-2024-clean.excerpt.txt', 1500));
  writeFileSync(join(work, 'trang-web.pdf'), '<!DOCTYPE html>\n<html><head><title>Kế hoạch</title></head><body>404</body></html>\n');
  writeFileSync(join(work, 'rong.pdf'), '');
  writeFileSync(join(work, 'cut.pdf'), '%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n%%EOF\n');
  writeFileSync(join(work, 'tcvn3.txt'), Buffer.from([0x4b, 0xd5, 0x20, 0x68, 0x6f, 0xb9, 0x63, 0x68, 0x0a]));
}, 120_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  cli?.remove();
});

describe('vnplan convert, one file', () => {
  it('converts a text file into json, txt and md', () => {
    const run = vnplan(['convert', 'ke-hoach.txt', '-o', 'out-ok']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(work, 'out-ok', 'ke-hoach.json'), 'utf8'));
    expect(doc.source.fileName).toBe('ke-hoach.txt');
    expect(doc.source.kind).toBe('text');
    expect(readFileSync(join(work, 'out-ok', 'ke-hoach.txt'), 'utf8')).toContain('Ban hành Kế hoạch tuyên truyền cải cách hành chính');
    expect(existsSync(join(work, 'out-ok', 'ke-hoach.md'))).toBe(true);
    expect(run.stdout).toBe('');
  }, 120_000);

  it.each([
    ['trang-web.pdf', 2, /trang-web\.pdf: .*HTML/],
    ['rong.pdf', 2, /rong\.pdf: .*empty/],
    ['cut.pdf', 2, /cut\.pdf: .*(damaged|corrupt|invalid)/i],
    ['tcvn3.txt', 2, /tcvn3\.txt: .*UTF-8/],
  ])('a bad input %s: one stderr line naming it, exit %i, no output file', (name, code, message) => {
    const out = `out-${name}`;
    const run = vnplan(['convert', name, '-o', out]);
    expect(run.code).toBe(code);
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatch(message);
    const stem = name.replace(/\.[^.]+$/, '');
    const left = existsSync(join(work, out)) ? readdirSync(join(work, out)) : [];
    expect(left.filter((file) => file.startsWith(stem) || file.endsWith('.tmp'))).toEqual([]);
  }, 120_000);

  it('a page that outlives --page-timeout: the worker is replaced, exit 7 naming file and page', () => {
    const run = vnplan(['convert', join(root, 'fixtures', 'scans', 'quyetdinh-clean-300.pdf'), '-o', 'out-timeout', '--page-timeout', '0.2']);
    expect(run.code).toBe(7);
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatch(/quyetdinh-clean-300\.pdf, page 1: OCR did not finish within 200 ms/);
    expect(readdirSync(join(work, 'out-timeout')).filter((file) => file.startsWith('quyetdinh'))).toEqual([]);
  }, 120_000);

  it('a missing input exits 2 naming it', () => {
    const run = vnplan(['convert', 'khong-co.pdf', '-o', 'out-missing']);
    expect(run.code).toBe(2);
    expect(run.lines).toEqual(['vnplan: khong-co.pdf: no such file or folder']);
  }, 120_000);

  it('an output folder that cannot be written exits 5 before any work', () => {
    writeFileSync(join(work, 'a-file'), 'not a folder');
    const run = vnplan(['convert', 'ke-hoach.txt', '-o', 'a-file/out']);
    expect(run.code).toBe(5);
    expect(run.lines).toHaveLength(1);
    expect(run.lines[0]).toMatch(/a-file\/out: cannot write/);
  }, 120_000);
});

describe('vnplan usage errors exit 1', () => {
  it.each([
    [['convert', 'ke-hoach.txt'], /required option '-o, --output/],
    [['convert', 'ke-hoach.txt', '-o', 'o', '-j', '0'], /positive integer/],
    [['convert', 'ke-hoach.txt', '-o', 'o', '-j', 'two'], /positive integer/],
    [['convert', 'ke-hoach.txt', '-o', 'o', '--page-timeout', '-5'], /positive number/],
    [['convert', 'ke-hoach.txt', '-o', 'o', '--force', '--retry-failed'], /cannot be used with/],
    [['convert', '-o', 'o'], /missing required argument/],
    [['frobnicate'], /unknown command/],
  ])('%j', (args, message) => {
    const run = vnplan(args);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(existsSync(join(work, 'o'))).toBe(false);
  }, 120_000);

  it('--version and --help exit 0', () => {
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
    expect(vnplan(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
    const help = vnplan(['convert', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit status: 0 all converted/);
  }, 120_000);
});

describe('vnplan convert on a terminal', () => {
  // util-linux `script` gives the child a pseudo-terminal, so stderr.isTTY is true.
  const hasScript = spawnSync('script', ['--version']).status === 0;

  it.skipIf(!hasScript)('shows a live bar with files, pages, pages/min, ETA and the current file, then the totals', () => {
    mkdirSync(join(work, 'tty-in'));
    for (let index = 0; index < 6; index++) writeFileSync(join(work, 'tty-in', `vb-${index}.txt`), excerpt('khanhhoa-2024-clean.excerpt.txt', 300 + index * 200));
    const command = [process.execPath, cli.bin, 'convert', 'tty-in', '-o', 'out-tty', '-j', '2'].map((word) => `'${word}'`).join(' ');
    const run = spawnSync('script', ['-qfec', command, '/dev/null'], { cwd: work, encoding: 'utf8', timeout: 120_000 });
    expect(run.status).toBe(0);
    const screen = run.stdout.replace(/\r/g, '\n');
    expect(screen).toMatch(/\d+\/6 files \| \d+ pages \| [\d.]+ pages\/min \| ETA \S+ \| vb-\d\.txt/);
    expect(screen).toMatch(/ok +6 +6\n/);
    expect(screen).not.toMatch(/^ok +vb-/m); // per-file lines are for logs, not the live display
  }, 120_000);
});

describe('vnplan convert --log-json', () => {
  it('writes one JSON object per line on stderr, ending with the totals', () => {
    mkdirSync(join(work, 'json-in'));
    writeFileSync(join(work, 'json-in', 'a.txt'), excerpt('binhthuan-2023-legacy-ocr-b.excerpt.txt', 800));
    writeFileSync(join(work, 'json-in', 'b.pdf'), '');
    const run = vnplan(['convert', 'json-in', '-o', 'out-json', '--log-json']);
    expect(run.code).toBe(10);
    const events = run.lines.map((line) => JSON.parse(line) as { event: string; input?: string; status?: string });
    expect(events[0].event).toBe('start');
    expect(events.at(-1)).toMatchObject({ event: 'end', interrupted: false, totals: { ok: 1, failed: 1 } });
    const files = events.filter((event) => event.event === 'file').map((event) => [event.input, event.status]);
    expect(files.sort()).toEqual([
      ['a.txt', 'ok'],
      ['b.pdf', 'failed'],
    ]);
  }, 120_000);

  it('--quiet prints only the failures', () => {
    const run = vnplan(['convert', 'json-in', '-o', 'out-quiet', '--quiet']);
    expect(run.code).toBe(10);
    expect(run.lines).toEqual(['failed   b.pdf: the file is empty (0 bytes) [INPUT_EMPTY]']);
  }, 120_000);

  it('reports a fatal error as a JSON event too', () => {
    const run = vnplan(['convert', 'nowhere', '-o', 'o2', '--log-json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.lines[0])).toMatchObject({ event: 'error', code: 'INPUT_NOT_FOUND', exitCode: 2, path: 'nowhere' });
  }, 120_000);
});
