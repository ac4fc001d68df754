// A private build of vnplan for tests that run the `vnplan` command.
//
// Several people edit and rebuild this checkout at once; a CLI test that
// spawned the shared `dist/` could see it half-rebuilt, or see repair
// dictionaries change between two runs it compares byte for byte. So each
// test file compiles `src/` into its own folder with `tsc` and copies
// `package.json` and `dictionaries/` beside it — the layout of an installed
// package — with `node_modules` linked from the checkout.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root folder. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

/** A built copy of vnplan; `bin` is its `dist/cli/index.js`. */
export interface BuiltCli {
  home: string;
  bin: string;
  remove(): void;
}

/** Compile the current sources into a private package folder. */
export function buildCli(): BuiltCli {
  const home = mkdtempSync(join(tmpdir(), 'vnplan-build-'));
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', root, '--outDir', join(home, 'dist')], {
    stdio: 'inherit',
  });
  cpSync(join(root, 'package.json'), join(home, 'package.json'));
  cpSync(join(root, 'dictionaries'), join(home, 'dictionaries'), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(home, 'node_modules'), 'dir');
  return { home, bin: join(home, 'dist', 'cli', 'index.js'), remove: () => rmSync(home, { recursive: true, force: true }) };
}

/** Run `vnplan <args>` to completion in `cwd`. */
export function runCli(cli: BuiltCli, args: readonly string[], cwd: string, timeout = 300_000) {
  const run = spawnSync(process.execPath, [cli.bin, ...args], { cwd, encoding: 'utf8', timeout });
  return {
    code: run.status,
    stdout: run.stdout,
    stderr: run.stderr,
    lines: run.stderr.split('\n').filter((line) => line !== ''),
  };
}
