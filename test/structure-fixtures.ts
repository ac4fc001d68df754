// Shared by the structure and schema tests: fixture folders and the Doc each input stands for.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Doc, Page } from '../src/model/doc.js';
import { SCHEMA_VERSION } from '../src/model/doc.js';

export const fixturesRoot = fileURLToPath(new URL('../fixtures/structure/', import.meta.url));

/** Names of the fixture folders. */
export function fixtureNames(): string[] {
  return readdirSync(fixturesRoot, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/**
 * The Doc a fixture stands for: `input.txt` is a legacy text file (one page
 * per form feed), `input.json` an array of pages (scans with table rows).
 */
export function fixtureDoc(name: string): Doc {
  const dir = `${fixturesRoot}${name}/`;
  let pages: Page[];
  if (existsSync(`${dir}input.json`)) {
    pages = JSON.parse(readFileSync(`${dir}input.json`, 'utf8')) as Page[];
  } else {
    const text = readFileSync(`${dir}input.txt`, 'utf8');
    pages = text.split('\f').map((p, i) => ({
      number: i + 1,
      origin: 'text-file' as const,
      confidence: null,
      status: 'ok' as const,
      lines: p.replace(/\n$/, '').split('\n').map((t) => ({ text: t })),
    }));
  }
  return {
    schemaVersion: SCHEMA_VERSION,
    generator: { name: 'vnplan', version: '0.0.0-test' },
    source: { fileName: `${name}.txt`, sha256: '0'.repeat(64), kind: 'text', pageCount: pages.length, dpi: null },
    pages,
    corrections: [],
    structure: null,
    notices: [],
  };
}
