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
 * Usage: node scripts/bench-tables.mjs [--repair] [--json] [--verbose] [--per-cell] [fixture-name...]
 *   --repair   run the repair stage too (default: OCR text as is, to measure table rebuilding alone)
 *   --verbose  print every cell that differs from the truth
 *   --per-cell instead of the pipeline's page OCR, OCR each cell of the grid on its own (what a
 *              table-aware OCR step could give; one worker, slow)
 *   --cost     time of the pipeline's second reading of table cells (`rereadTableCells`) on each
 *              table page, against the page OCR it follows, and how many cells it read again
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
    'per-cell': { type: 'boolean', default: false },
    cost: { type: 'boolean', default: false },
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

/** Add one table's rows (rebuilt or read cell by cell) to the tallies of a fixture. */
function score(r, table, rows) {
  r.tablePages++;
  const pairs = alignRows(table.cells, rows);
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

function tally(fixture, pages, seconds) {
  return { fixture, pages, seconds, grids: 0, tablePages: 0, rows: 0, found: 0, cells: 0, cerSum: 0, edits: 0, chars: 0 };
}

function report(r) {
  if (values.json) return;
  console.log(
    `${r.fixture.padEnd(28)} grids ${r.grids}/${r.tablePages}  rows found ${r.found}/${r.rows} (${pct(r.found / r.rows)})  ` +
      `cell CER mean ${pct(r.cerSum / r.cells)}, by chars ${pct(r.edits / r.chars)}  (${r.pages} pages, ${r.seconds.toFixed(1)} s)`,
  );
}

const results = [];
if (values.cost) await cost();
else if (values['per-cell']) await perCell();
else await pipeline();

/**
 * What the second reading of table cells costs: each table page is preprocessed and read by the
 * pool as the pipeline does, then `rereadTableCells` runs alone and is timed; the cells it chose
 * (and why) are counted with `cellsToReread`. Pages are done one at a time, so a page's own cells
 * share the pool's workers.
 */
async function cost() {
  const { ingest } = await import(join(root, 'dist/stages/ingest/index.js'));
  const { openPages } = await import(join(root, 'dist/stages/rasterize/index.js'));
  const { preprocess } = await import(join(root, 'dist/stages/preprocess/index.js'));
  const { rereadTableCells, cellsToReread, gridCells } = await import(join(root, 'dist/stages/ocr/index.js'));
  const { default: sharp } = await import('sharp');
  const pool = createOcrPool({ workers: availableParallelism() });
  const sum = { pages: 0, pageSeconds: 0, cellSeconds: 0, cells: 0, chosen: 0, reasons: {} };
  try {
    for (const name of fixtures) {
      const path = join(root, 'fixtures/scans', name);
      const truth = JSON.parse(readFileSync(path.replace(/\.[a-z]+$/, '.truth.json'), 'utf8'));
      const reader = await openPages(await ingest(path), { dpi: 300 });
      try {
        for await (const source of reader.pages()) {
          if (source.kind !== 'image' || !truth.tables.some((t) => t.page === source.number)) continue;
          const prepared = await preprocess(source.image, source.dpi);
          const image = { data: prepared.encoded, dpi: prepared.dpi };
          let started = Date.now();
          const result = await pool.recognize(image, { page: source.number });
          const pageSeconds = (Date.now() - started) / 1000;
          const { data, info } = await sharp(prepared.encoded).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
          const gray = { data, width: info.width, height: info.height };
          const cells = prepared.tables.flatMap((g, t) => gridCells(gray, g, t));
          const chosen = cellsToReread(result.lines, cells, gray);
          started = Date.now();
          await rereadTableCells(result.lines, image, prepared.tables, pool, { page: source.number });
          const cellSeconds = (Date.now() - started) / 1000;
          const reasons = {};
          for (const r of chosen.values()) reasons[r] = (reasons[r] ?? 0) + 1;
          for (const [r, n] of Object.entries(reasons)) sum.reasons[r] = (sum.reasons[r] ?? 0) + n;
          Object.assign(sum, { pages: sum.pages + 1, pageSeconds: sum.pageSeconds + pageSeconds, cellSeconds: sum.cellSeconds + cellSeconds, cells: sum.cells + cells.length, chosen: sum.chosen + chosen.size });
          console.log(
            `${`${name} p${source.number}`.padEnd(32)} page OCR ${pageSeconds.toFixed(2)} s  cells read again ${chosen.size}/${cells.length} ${JSON.stringify(reasons)}  in ${cellSeconds.toFixed(2)} s (+${pct(cellSeconds / pageSeconds)})`,
          );
        }
      } finally {
        await reader.close();
      }
    }
  } finally {
    await pool.terminate();
  }
  console.log(
    `all: ${sum.pages} table pages, cells read again ${sum.chosen}/${sum.cells} ${JSON.stringify(sum.reasons)}; ` +
      `${(sum.cellSeconds / sum.pages).toFixed(2)} s per table page on top of ${(sum.pageSeconds / sum.pages).toFixed(2)} s of page OCR (+${pct(sum.cellSeconds / sum.pageSeconds)})`,
  );
}

/** The pipeline as it is: page OCR, then words placed into the grid's cells. */
async function pipeline() {
  const pool = createOcrPool({ workers: availableParallelism() });
  try {
    for (const name of fixtures) {
      const path = join(root, 'fixtures/scans', name);
      const truth = JSON.parse(readFileSync(path.replace(/\.[a-z]+$/, '.truth.json'), 'utf8'));
      const started = Date.now();
      const doc = await convertFile(path, { ocrPool: pool, structure: null, ...(values.repair ? {} : { repair: null }) });
      const r = tally(name, doc.pages.length, (Date.now() - started) / 1000);
      for (const table of truth.tables) {
        const page = doc.pages[table.page - 1];
        if ((page.tables ?? []).some((g) => g.rows.length === table.rows.length && g.columns.length === table.columns.length)) r.grids++;
        score(r, table, rebuildTableRows(page).lines.filter((l) => l.kind === 'table-row'));
      }
      results.push(r);
      report(r);
    }
  } finally {
    await pool.terminate();
  }
}

/**
 * What OCR of each cell on its own would give: the same rasterizing and preprocessing, the grid
 * found on the page (and its spanning cells, `findSpans`), then Tesseract on each cell's crop of
 * the OCR input (page segmentation 6, one block). Not what the pipeline does; a measure of what it could do for table pages.
 */
async function perCell() {
  const { ingest } = await import(join(root, 'dist/stages/ingest/index.js'));
  const { openPages } = await import(join(root, 'dist/stages/rasterize/index.js'));
  const { preprocess } = await import(join(root, 'dist/stages/preprocess/index.js'));
  const { findSpans } = await import(join(root, 'dist/stages/preprocess/table-grid.js'));
  const { vieLangPath } = await import(join(root, 'dist/stages/ocr/index.js'));
  const { createWorker } = await import('tesseract.js');
  const { default: sharp } = await import('sharp');
  const worker = await createWorker('vie', 1, { langPath: vieLangPath(), cacheMethod: 'none', gzip: true, errorHandler: () => {} });
  await worker.setParameters({ tessedit_pageseg_mode: '6' });
  try {
    for (const name of fixtures) {
      const path = join(root, 'fixtures/scans', name);
      const truth = JSON.parse(readFileSync(path.replace(/\.[a-z]+$/, '.truth.json'), 'utf8'));
      const started = Date.now();
      const reader = await openPages(await ingest(path), { dpi: 300 });
      const r = tally(name, reader.pageCount, 0);
      try {
        for await (const source of reader.pages()) {
          const table = truth.tables.find((t) => t.page === source.number);
          if (!table || source.kind !== 'image') continue;
          const prepared = await preprocess(source.image, source.dpi);
          const grid = prepared.tables[0];
          if (!grid) {
            score(r, table, []);
            continue;
          }
          if (grid.rows.length === table.rows.length && grid.columns.length === table.columns.length) r.grids++;
          const { data, info } = await sharp(prepared.encoded).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
          const spans = findSpans(prepared.gray, grid);
          const rows = [];
          for (let y = 0; y + 1 < grid.rows.length; y++) {
            const cells = [];
            for (let x = 0; x + 1 < grid.columns.length; x++) {
              // A spanning cell is read whole into its first column; the columns it covers stay empty.
              if (spans.some((sp) => sp.row === y && x > sp.from && x <= sp.to)) {
                cells.push('');
                continue;
              }
              const last = spans.find((sp) => sp.row === y && sp.from === x)?.to ?? x;
              // Inside the rules, with a white margin Tesseract likes.
              const inset = Math.max(3, Math.round(info.width / 400));
              const left = Math.round(grid.columns[x]) + inset;
              const top = Math.round(grid.rows[y]) + inset;
              const width = Math.round(grid.columns[last + 1]) - inset - left;
              const height = Math.round(grid.rows[y + 1]) - inset - top;
              if (width < 8 || height < 8) {
                cells.push('');
                continue;
              }
              const png = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
                .extract({ left, top, width, height })
                .extend({ top: 16, bottom: 16, left: 16, right: 16, background: '#ffffff' })
                .toColourspace('b-w')
                .withDensity(Math.round(prepared.dpi))
                .png()
                .toBuffer();
              const result = await worker.recognize(png);
              cells.push(result.data.text.normalize('NFC').trim());
            }
            rows.push({ cells });
          }
          score(r, table, rows);
        }
      } finally {
        await reader.close();
      }
      r.seconds = (Date.now() - started) / 1000;
      results.push(r);
      report(r);
    }
  } finally {
    await worker.terminate();
  }
}

const total = results.reduce(
  (t, r) => ({ grids: t.grids + r.grids, tablePages: t.tablePages + r.tablePages, rows: t.rows + r.rows, found: t.found + r.found, cells: t.cells + r.cells, cerSum: t.cerSum + r.cerSum, edits: t.edits + r.edits, chars: t.chars + r.chars }),
  { grids: 0, tablePages: 0, rows: 0, found: 0, cells: 0, cerSum: 0, edits: 0, chars: 0 },
);
if (values.cost) {
  // printed above
} else if (values.json) {
  console.log(JSON.stringify({ repair: values.repair, perCell: values['per-cell'], results, total }, null, 2));
} else {
  console.log(
    `${'all'.padEnd(28)} grids ${total.grids}/${total.tablePages}  rows found ${total.found}/${total.rows} (${pct(total.found / total.rows)})  ` +
      `cell CER mean ${pct(total.cerSum / total.cells)}, by chars ${pct(total.edits / total.chars)}   (targets: rows ≥ 95 %, cell CER ≤ 3 %)`,
  );
}

function pct(x) {
  return `${(100 * x).toFixed(2)} %`;
}
