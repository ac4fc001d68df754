#!/usr/bin/env node
/**
 * Benchmark of ruled tables on scans (issue 4, source 2): on the fixture scans in fixtures/scans/,
 * OCR each page through the pipeline (`convertFile`: rasterize, preprocess with table-grid
 * detection, OCR), rebuild the table rows (`rebuildTableRows`) and compare them with the truth
 * written by scripts/render-fixtures.mjs.
 *
 * Measures, per fixture and overall:
 *   - grids: pages whose table was found with the right number of rows and columns;
 *   - rows found: printed table rows (header rows included, as printed on each page) matched by a
 *     rebuilt `table-row` line with the right number of cells and a row CER below 50 %;
 *   - cell CER: edit distance over truth length, whitespace folded (how a cell wraps is not
 *     measured), as the mean over cells (each capped at 100 %) and over characters; a truth row
 *     that was not found counts its cells as fully wrong.
 *
 * Usage: node scripts/bench-tables.mjs [--repair] [--json] [--verbose] [fixture-name...]
 *   --repair   run the repair stage too (default: OCR text as is, to measure table rebuilding alone)
 *   --verbose  print every cell that differs from the truth
 * Needs `npx tsc -p .` first (npm run bench does it).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import levenshtein from 'fast-levenshtein';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({
  options: {
    repair: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
  allowPositionals: true,
});

const { convertFile } = await import(join(root, 'dist/pipeline.js'));
const { rebuildTableRows } = await import(join(root, 'dist/stages/structure/scan-table.js'));
const { createOcrPool } = await import(join(root, 'dist/stages/ocr/index.js'));

const fixtures = ['kehoach-clean-300.pdf', 'kehoach-skewed-300.pdf', 'kehoach-degraded-200.pdf', 'phuluc-bilevel-300.tiff', 'phuluc-nhom-300.png'].filter(
  (f) => positionals.length === 0 || positionals.some((p) => f.startsWith(p)),
);

const fold = (s) => s.normalize('NFC').replace(/\s+/g, ' ').trim();

function cellErrors(want, got) {
  const w = fold(want);
  const g = fold(got ?? '');
  const edits = levenshtein.get(w, g);
  return { edits: Math.min(edits, Math.max(w.length, 1)), chars: w.length, cer: Math.min(1, edits / Math.max(w.length, 1)) };
}

function rowCer(want, got) {
  let edits = 0;
  let chars = 0;
  want.forEach((cell, k) => {
    const e = cellErrors(cell, got[k]);
    edits += e.edits;
    chars += e.chars;
  });
  return edits / Math.max(chars, 1);
}

/** Align truth rows with rebuilt rows in order (DP; a skipped row costs 1, a pair its row CER). */
function alignRows(want, got) {
  const n = want.length;
  const m = got.length;
  const cost = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(Infinity));
  const back = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(null));
  cost[0][0] = 0;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      if (i < n && cost[i][j] + 1 < cost[i + 1][j]) [cost[i + 1][j], back[i + 1][j]] = [cost[i][j] + 1, 'skip-truth'];
      if (j < m && cost[i][j] + 1 < cost[i][j + 1]) [cost[i][j + 1], back[i][j + 1]] = [cost[i][j] + 1, 'skip-got'];
      if (i < n && j < m) {
        const c = cost[i][j] + Math.min(1, rowCer(want[i], got[j].cells ?? []));
        if (c < cost[i + 1][j + 1]) [cost[i + 1][j + 1], back[i + 1][j + 1]] = [c, 'pair'];
      }
    }
  }
  const pairs = new Array(n).fill(null);
  let [i, j] = [n, m];
  while (i > 0 || j > 0) {
    const step = back[i][j];
    if (step === 'pair') pairs[--i] = got[--j];
    else if (step === 'skip-truth') i--;
    else j--;
  }
  return pairs;
}

const pool = createOcrPool({ workers: availableParallelism() });
const results = [];
try {
  for (const name of fixtures) {
    const path = join(root, 'fixtures/scans', name);
    const truth = JSON.parse(readFileSync(path.replace(/\.[a-z]+$/, '.truth.json'), 'utf8'));
    const started = Date.now();
    const doc = await convertFile(path, { ocrPool: pool, structure: null, ...(values.repair ? {} : { repair: null }) });
    const seconds = (Date.now() - started) / 1000;
    const r = { fixture: name, pages: doc.pages.length, seconds, grids: 0, tablePages: 0, rows: 0, found: 0, cells: 0, cerSum: 0, edits: 0, chars: 0 };
    for (const table of truth.tables) {
      r.tablePages++;
      const page = doc.pages[table.page - 1];
      const grids = page.tables ?? [];
      if (grids.some((g) => g.rows.length === table.rows.length && g.columns.length === table.columns.length)) r.grids++;
      const rebuilt = rebuildTableRows(page).lines.filter((l) => l.kind === 'table-row');
      const pairs = alignRows(table.cells, rebuilt);
      table.cells.forEach((want, k) => {
        const got = pairs[k];
        r.rows++;
        if (got && (got.cells ?? []).length === want.length && rowCer(want, got.cells) < 0.5) r.found++;
        want.forEach((cell, c) => {
          const e = cellErrors(cell, got?.cells?.[c] ?? '');
          if (values.verbose && e.edits > 0) {
            console.log(`  p${table.page} r${k + 1} c${c + 1} ${pct(e.cer)}: ${JSON.stringify(fold(cell))} -> ${JSON.stringify(fold(got?.cells?.[c] ?? '∅'))}`);
          }
          if (fold(cell) === '' && e.cer === 0) return; // an empty cell read as empty says little
          r.cells++;
          r.cerSum += e.cer;
          r.edits += e.edits;
          r.chars += e.chars;
        });
      });
    }
    results.push(r);
    if (!values.json) {
      console.log(
        `${name.padEnd(28)} grids ${r.grids}/${r.tablePages}  rows found ${r.found}/${r.rows} (${pct(r.found / r.rows)})  ` +
          `cell CER mean ${pct(r.cerSum / r.cells)}, by chars ${pct(r.edits / r.chars)}  (${r.pages} pages, ${seconds.toFixed(1)} s)`,
      );
    }
  }
} finally {
  await pool.terminate();
}

const total = results.reduce(
  (t, r) => ({ grids: t.grids + r.grids, tablePages: t.tablePages + r.tablePages, rows: t.rows + r.rows, found: t.found + r.found, cells: t.cells + r.cells, cerSum: t.cerSum + r.cerSum, edits: t.edits + r.edits, chars: t.chars + r.chars }),
  { grids: 0, tablePages: 0, rows: 0, found: 0, cells: 0, cerSum: 0, edits: 0, chars: 0 },
);
if (values.json) {
  console.log(JSON.stringify({ repair: values.repair, results, total }, null, 2));
} else {
  console.log(
    `${'all'.padEnd(28)} grids ${total.grids}/${total.tablePages}  rows found ${total.found}/${total.rows} (${pct(total.found / total.rows)})  ` +
      `cell CER mean ${pct(total.cerSum / total.cells)}, by chars ${pct(total.edits / total.chars)}   (targets: rows ≥ 95 %, cell CER ≤ 3 %)`,
  );
}

function pct(x) {
  return `${(100 * x).toFixed(2)} %`;
}
