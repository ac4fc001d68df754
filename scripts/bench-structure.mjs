#!/usr/bin/env node
// Structure benchmark: runs the structure parser over every fixture in
// fixtures/structure/ and scores it against the human ground truth in each
// folder's truth.json (kept apart from the expected.json regression snapshots).
// Measures: metadata fields exactly right, heading F1, references found,
// table rows found and mean cell CER (character error rate).
// A second part runs the whole pipeline on the fixture scans in fixtures/scans/ against the truth
// written with them (slow: OCR; skip with --no-scans).
// Run after `npx tsc -p .` (reads ../dist): `node scripts/bench-structure.mjs [--no-scans]`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import levenshtein from 'fast-levenshtein';
import { flattenPages, linesFromText, parseStructure } from '../dist/stages/structure/index.js';

const root = fileURLToPath(new URL('../fixtures/structure/', import.meta.url));
const TARGET = { metadata: 0.95, headingF1: 0.98, rowsFound: 0.95, cellCer: 0.03 };

function read(name) {
  const dir = `${root}${name}/`;
  if (existsSync(`${dir}input.json`)) return flattenPages(JSON.parse(readFileSync(`${dir}input.json`, 'utf8')));
  return linesFromText(readFileSync(`${dir}input.txt`, 'utf8'));
}

// Leaves of the truth metadata; a field the truth leaves null counts only when the parser invents a value.
function scoreMetadata(truth, got, acc, prefix = '') {
  for (const [key, want] of Object.entries(truth)) {
    const have = got?.[key] ?? null;
    const path = `${prefix}${key}`;
    if (want && typeof want === 'object' && !Array.isArray(want)) {
      scoreMetadata(want, have, acc, `${path}.`);
    } else if (want === null || (Array.isArray(want) && want.length === 0)) {
      if (have !== null && !(Array.isArray(have) && have.length === 0)) acc.push({ path, ok: false, want, have });
    } else {
      acc.push({ path, ok: JSON.stringify(want) === JSON.stringify(have), want, have });
    }
  }
}

function headings(sections, pre) {
  return sections.flatMap((s) => {
    const p = pre ? `${pre}/${s.number}` : s.number;
    return [`${p}|${s.heading}`, ...headings(s.children, p)];
  });
}

function cer(got, want) {
  if (want.length === 0) return got.length === 0 ? 0 : 1;
  return Math.min(1, levenshtein.get(got, want) / want.length);
}

const totals = { meta: [0, 0], tp: 0, fp: 0, fn: 0, refs: [0, 0], rows: [0, 0], cells: [], legacyRows: [0, 0], legacyCells: [] };
const problems = [];
console.log('case                    metadata  heading-F1  refs     rows     cell-CER');
for (const name of readdirSync(root).sort()) {
  if (!existsSync(`${root}${name}/truth.json`)) continue;
  const truth = JSON.parse(readFileSync(`${root}${name}/truth.json`, 'utf8'));
  const s = parseStructure(read(name));
  const docs = [s, ...s.attached];

  const meta = [];
  truth.documents.forEach((t, i) => scoreMetadata(t.metadata, docs[i]?.metadata, meta, `doc${i}.`));
  const metaOk = meta.filter((m) => m.ok).length;
  for (const m of meta.filter((x) => !x.ok)) problems.push(`${name} ${m.path}: want ${JSON.stringify(m.want)} got ${JSON.stringify(m.have)}`);

  const want = new Set(truth.documents.flatMap((t) => t.headings.map((h, k) => `${truth.documents.indexOf(t)}#${h}`)));
  const got = new Set(docs.flatMap((d, i) => headings(d.sections, '').map((h) => `${i}#${h}`)));
  const tp = [...got].filter((h) => want.has(h)).length;
  const fp = got.size - tp;
  const fn = want.size - tp;
  for (const h of want) if (!got.has(h)) problems.push(`${name} heading missed: ${h.slice(0, 90)}`);
  for (const h of got) if (!want.has(h)) problems.push(`${name} heading extra: ${h.slice(0, 90)}`);
  const f1 = tp + fp + fn === 0 ? 1 : (2 * tp) / (2 * tp + fp + fn);

  const gotRefs = new Set(docs.flatMap((d) => d.references.map((r) => `${r.type}|${r.number ?? r.title}|${r.date ?? ''}|${r.issuer ?? ''}`)));
  const refsOk = truth.references.filter((r) => gotRefs.has(r)).length;
  for (const r of truth.references) if (!gotRefs.has(r)) problems.push(`${name} reference missed: ${r}`);

  const tables = docs.flatMap((d) => d.appendices.flatMap((a) => a.tables));
  let rowsOk = 0;
  let rowsAll = 0;
  const cells = [];
  truth.tables.forEach((t, ti) => {
    const table = tables[ti];
    for (const row of t.rows) {
      const match = table?.rows.find((r) => r[0] === row[0]);
      if (t.source === 'ocr-columns') {
        // Legacy column-scrambled tables are scored apart: rows by number, cells where the truth gives them (null: unreadable).
        totals.legacyRows[1]++;
        if (!match) continue;
        totals.legacyRows[0]++;
        if (row.length > 1) row.forEach((c, k) => c !== null && totals.legacyCells.push(cer(match[k] ?? '', c)));
        continue;
      }
      rowsAll++;
      if (!match) {
        problems.push(`${name} table ${ti} row ${row[0]} not found`);
        continue;
      }
      rowsOk++;
      row.forEach((c, k) => {
        const e = cer(match[k] ?? '', c);
        cells.push(e);
        if (e > 0) problems.push(`${name} table ${ti} row ${row[0]} cell ${k}: CER ${(100 * e).toFixed(1)} %`);
      });
    }
  });

  totals.meta[0] += metaOk;
  totals.meta[1] += meta.length;
  totals.tp += tp;
  totals.fp += fp;
  totals.fn += fn;
  totals.refs[0] += refsOk;
  totals.refs[1] += truth.references.length;
  totals.rows[0] += rowsOk;
  totals.rows[1] += rowsAll;
  totals.cells.push(...cells);
  const meanCer = cells.length ? cells.reduce((a, b) => a + b, 0) / cells.length : null;
  console.log(
    `${name.padEnd(24)}${`${metaOk}/${meta.length}`.padEnd(10)}${f1.toFixed(3).padEnd(12)}${`${refsOk}/${truth.references.length}`.padEnd(9)}${rowsAll ? `${rowsOk}/${rowsAll}`.padEnd(9) : '-'.padEnd(9)}${meanCer === null ? '-' : `${(100 * meanCer).toFixed(2)} %`}`,
  );
}

const metaRate = totals.meta[1] ? totals.meta[0] / totals.meta[1] : 1;
const f1 = (2 * totals.tp) / (2 * totals.tp + totals.fp + totals.fn);
const rowsRate = totals.rows[1] ? totals.rows[0] / totals.rows[1] : 1;
const meanCer = totals.cells.length ? totals.cells.reduce((a, b) => a + b, 0) / totals.cells.length : 0;
const verdict = (ok) => (ok ? 'ok' : 'BELOW TARGET');
console.log('');
console.log(`metadata fields exactly right: ${totals.meta[0]}/${totals.meta[1]} = ${(100 * metaRate).toFixed(1)} % (target ≥ 95 %) ${verdict(metaRate >= TARGET.metadata)}`);
console.log(`heading F1: ${f1.toFixed(3)} (tp ${totals.tp}, fp ${totals.fp}, fn ${totals.fn}; target ≥ 0.98) ${verdict(f1 >= TARGET.headingF1)}`);
console.log(`references found (type|number|date|issuer exact): ${totals.refs[0]}/${totals.refs[1]}`);
console.log(`table rows found (text and scan tables): ${totals.rows[0]}/${totals.rows[1]} = ${(100 * rowsRate).toFixed(1)} % (target ≥ 95 %) ${verdict(rowsRate >= TARGET.rowsFound)}`);
console.log(`mean cell CER: ${(100 * meanCer).toFixed(2)} % over ${totals.cells.length} cells (target ≤ 3 %) ${verdict(meanCer <= TARGET.cellCer)}`);
const legacyCer = totals.legacyCells.length ? totals.legacyCells.reduce((a, b) => a + b, 0) / totals.legacyCells.length : null;
console.log(
  `legacy column-scrambled tables (no target): rows found ${totals.legacyRows[0]}/${totals.legacyRows[1]}` +
    (legacyCer === null ? '' : `, mean cell CER ${(100 * legacyCer).toFixed(1)} % over ${totals.legacyCells.length} cells`),
);
if (problems.length > 0) {
  console.log(`\n${problems.length} differences from the ground truth:`);
  for (const p of problems.slice(0, 60)) console.log(`  ${p}`);
}
let scanPass = true;
if (!process.argv.includes('--no-scans')) scanPass = await benchScans();
const pass = scanPass && metaRate >= TARGET.metadata && f1 >= TARGET.headingF1 && rowsRate >= TARGET.rowsFound && meanCer <= TARGET.cellCer;
process.exit(pass ? 0 : 1);

// Fixture scans (fixtures/scans/, made by scripts/render-fixtures.mjs with their own truth): the
// whole pipeline runs (rasterize, preprocess, OCR, repair, this structure stage), so OCR errors
// count too. A heading is found when its marker matches and its text is within 10 % CER of the
// truth (OCR noise in a long numbered paragraph is not a structure error); metadata fields and
// references must match exactly; phụ lục rows are matched by number, cells scored by CER with
// whitespace folded.
async function benchScans() {
  const { availableParallelism } = await import('node:os');
  const { convertFile } = await import('../dist/pipeline.js');
  const { createOcrPool } = await import('../dist/stages/ocr/index.js');
  const { structure } = await import('../dist/stages/structure/index.js');
  const scans = ['quyetdinh-clean-300.pdf', 'quyetdinh-skewed-200.png', 'kehoach-clean-300.pdf', 'kehoach-degraded-200.pdf', 'phuluc-bilevel-300.tiff'];
  const dir = fileURLToPath(new URL('../fixtures/scans/', import.meta.url));
  const squeeze = (x) => (x ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();
  const pool = createOcrPool({ workers: availableParallelism() });
  const sum = { meta: [0, 0], placed: [0, 0], heads: [0, 0, 0], refs: [0, 0], rows: [0, 0], cells: [] };
  const notes = [];
  console.log('\nfixture scans (OCR + repair + structure)');
  console.log('scan                        metadata  headings  refs     rows     cell-CER  seconds');
  try {
    for (const name of scans) {
      const truth = JSON.parse(readFileSync(`${dir}${name.replace(/\.[a-z]+$/, '.truth.json')}`, 'utf8'));
      const started = Date.now();
      const doc = await convertFile(`${dir}${name}`, { ocrPool: pool, structure: structure() });
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      const s = doc.structure;
      const whole = truth.sourcePages.includes(1);
      let meta = [0, 0];
      if (whole) {
        const t = truth.metadata;
        const m = s.metadata;
        const pairs = [
          ['type', t.documentType, m.type],
          ['issuer', t.issuer, m.issuer?.name ?? null],
          ['issuer.parent', t.issuerParent, m.issuer?.parent ?? null],
          ['number', t.number, m.number],
          ['place', t.place, m.place],
          ['date', t.date, m.date],
          ['title', t.title, m.title],
          ['signer.authority', [t.signer?.authority, t.signer?.role].filter(Boolean).join(' ') || null, m.signer?.authority ?? null],
          ['signer.position', t.signer?.position ?? null, m.signer?.position ?? null],
          ['signer.name', t.signer?.name ?? null, m.signer?.name ?? null],
          ['recipients', JSON.stringify((t.recipients ?? []).map((r) => r.replace(/[;.,]+$/, ''))), JSON.stringify(m.recipients)],
        ];
        for (const [field, want, have] of pairs) {
          if (want === null && have === null) continue;
          meta[1]++;
          if (squeeze(want) === squeeze(have)) meta[0]++;
          else notes.push(`${name} ${field}: want ${JSON.stringify(want)} got ${JSON.stringify(have)}`);
          // Placed right when the value is there up to OCR misreadings (≤ 10 % CER).
          if (want !== null && have !== null && cer(squeeze(have), squeeze(want)) <= 0.1) sum.placed[0]++;
          sum.placed[1]++;
        }
      }
      const mine = [];
      const walk = (secs) =>
        secs.forEach((x) => {
          const marker = x.kind === 'article' ? `Điều ${x.number}.` : x.kind === 'letter' ? `${x.number})` : `${x.number}.`;
          mine.push({ marker, text: squeeze(x.heading) });
          walk(x.children);
        });
      walk(s.sections);
      let tp = 0;
      const used = new Set();
      for (const h of truth.headings ?? []) {
        const k = mine.findIndex((x, i) => !used.has(i) && x.marker === h.marker && cer(x.text, squeeze(h.text)) <= 0.1);
        if (k >= 0) {
          used.add(k);
          tp++;
        } else notes.push(`${name} heading missed: ${h.marker} ${squeeze(h.text).slice(0, 70)}`);
      }
      const fp = whole ? mine.length - tp : 0;
      const fn = (truth.headings ?? []).length - tp;
      let refs = [0, 0];
      if (whole) {
        for (const r of truth.references ?? []) {
          refs[1]++;
          const hit = s.references.some(
            (x) => x.type === r.type && x.number === r.number && x.date === r.date && (r.issuer === null || x.issuer === r.issuer) && (r.number !== null || squeeze(`Luật ${x.title}`) === squeeze(r.name)),
          );
          if (hit) refs[0]++;
          else notes.push(`${name} reference missed: ${r.type} ${r.number ?? r.name} ${r.date}`);
        }
      }
      let rows = [0, 0];
      const cells = [];
      if (truth.appendix) {
        const table = s.appendices.flatMap((a) => a.tables)[0];
        for (const row of truth.appendix.rows) {
          rows[1]++;
          const got = table?.rows.find((r) => squeeze(r[0]) === squeeze(row[0]));
          if (!got) {
            notes.push(`${name} phụ lục row ${row[0]} not found`);
            row.forEach(() => cells.push(1));
            continue;
          }
          rows[0]++;
          row.forEach((c, k) => {
            const e = cer(squeeze(got[k]), squeeze(c));
            cells.push(e);
            if (e > 0.05) notes.push(`${name} row ${row[0]} cell ${k}: CER ${(100 * e).toFixed(0)} %`);
          });
        }
      }
      sum.meta[0] += meta[0];
      sum.meta[1] += meta[1];
      sum.heads[0] += tp;
      sum.heads[1] += fp;
      sum.heads[2] += fn;
      sum.refs[0] += refs[0];
      sum.refs[1] += refs[1];
      sum.rows[0] += rows[0];
      sum.rows[1] += rows[1];
      sum.cells.push(...cells);
      const mc = cells.length ? cells.reduce((a, b) => a + b, 0) / cells.length : null;
      console.log(
        `${name.padEnd(28)}${(whole ? `${meta[0]}/${meta[1]}` : '-').padEnd(10)}${`${tp}/${tp + fn}${fp ? ` +${fp}` : ''}`.padEnd(10)}${(whole ? `${refs[0]}/${refs[1]}` : '-').padEnd(9)}${(rows[1] ? `${rows[0]}/${rows[1]}` : '-').padEnd(9)}${(mc === null ? '-' : `${(100 * mc).toFixed(2)} %`).padEnd(10)}${seconds}`,
      );
    }
  } finally {
    await pool.terminate();
  }
  const metaRate = sum.meta[1] ? sum.meta[0] / sum.meta[1] : 1;
  const [tp, fp, fn] = sum.heads;
  const hf1 = tp + fp + fn === 0 ? 1 : (2 * tp) / (2 * tp + fp + fn);
  const rowsRate = sum.rows[1] ? sum.rows[0] / sum.rows[1] : 1;
  const mc = sum.cells.length ? sum.cells.reduce((a, b) => a + b, 0) / sum.cells.length : 0;
  const verdict = (ok) => (ok ? 'ok' : 'BELOW TARGET');
  console.log('');
  console.log(`scans: metadata fields exactly right ${sum.meta[0]}/${sum.meta[1]} = ${(100 * metaRate).toFixed(1)} % ${verdict(metaRate >= TARGET.metadata)}`);
  console.log(`scans: metadata fields found in the right place (value within 10 % CER: OCR misreadings aside) ${sum.placed[0]}/${sum.placed[1]}`);
  console.log(`scans: heading F1 ${hf1.toFixed(3)} (tp ${tp}, fp ${fp}, fn ${fn}) ${verdict(hf1 >= TARGET.headingF1)}`);
  console.log(`scans: references found ${sum.refs[0]}/${sum.refs[1]}`);
  console.log(`scans: phụ lục rows found ${sum.rows[0]}/${sum.rows[1]} = ${(100 * rowsRate).toFixed(1)} % ${verdict(rowsRate >= TARGET.rowsFound)}`);
  console.log(`scans: mean cell CER ${(100 * mc).toFixed(2)} % over ${sum.cells.length} cells ${verdict(mc <= TARGET.cellCer)}`);
  if (notes.length > 0) {
    console.log(`\n${notes.length} differences on scans:`);
    for (const n of notes.slice(0, 60)) console.log(`  ${n}`);
  }
  return metaRate >= TARGET.metadata && hf1 >= TARGET.headingF1 && rowsRate >= TARGET.rowsFound && mc <= TARGET.cellCer;
}
