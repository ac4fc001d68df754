import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repairCommand } from '../src/cli/repair-command.js';

async function run(args: string[], stdin = ''): Promise<string> {
  let out = '';
  const command = repairCommand({ readStdin: async () => Buffer.from(stdin, 'utf8'), write: (chunk) => (out += chunk) });
  await command.parseAsync(args, { from: 'user' });
  return out;
}

describe('vnplan repair', () => {
  const folder = mkdtempSync(join(tmpdir(), 'vnplan-repair-'));
  const file = join(folder, 'old.txt');
  writeFileSync(file, 'Ké hoach so 36/KH-UBND\nS& Noi vu tinh Binh Thuan\n');

  it('prints the repaired file line for line', async () => {
    expect(await run([file])).toBe('Kế hoạch số 36/KH-UBND\nSở Nội vụ tỉnh Bình Thuận\n');
  });

  it('reads stdin when no file or `-` is given', async () => {
    expect(await run([], 'Kh6nh Hda')).toBe('Khánh Hòa');
    expect(await run(['-'], 'Kh6nh Hda\n')).toBe('Khánh Hòa\n');
  });

  it('prints every correction with --json', async () => {
    const report = JSON.parse(await run(['--json', file])) as { corrections: Array<Record<string, unknown>> };
    expect(report.corrections[0]).toMatchObject({ line: 1, column: 1, endColumn: 3, from: 'Ké', to: 'Kế' });
    for (const c of report.corrections) {
      expect(Object.keys(c).sort()).toEqual(['alternatives', 'column', 'confidence', 'endColumn', 'from', 'line', 'review', 'ruleId', 'to']);
    }
  });

  it('fails with exit code 2 on a missing file and on text that is not UTF-8', async () => {
    await expect(run([join(folder, 'missing.txt')])).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND', exitCode: 2 });
    const latin1 = join(folder, 'tcvn3.txt');
    writeFileSync(latin1, Buffer.from([0x4b, 0xd5, 0x20, 0x68, 0x6f, 0xb8, 0x63, 0x68]));
    const error = await run([latin1]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INPUT_NOT_UTF8', exitCode: 2, path: latin1 });
    expect(String(error)).toContain('tcvn3.txt');
  });
});
