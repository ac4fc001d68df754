#!/usr/bin/env node
// Writes the published JSON Schema (draft 2020-12) of vnplan's JSON output,
// src/model/vnplan.schema.json, from the TypeBox source, so the types and the
// schema cannot drift apart. Reads ../dist: run `npx tsc -p .` first
// (`npm run schema` does both only if you run build; see package.json).
// `--check` exits 1 when the committed file differs from the generated one.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The published schema as JSON text. TypeBox keeps its bookkeeping in symbol
 * keys, which JSON.stringify drops; the draft and the version go on top.
 *
 * @param {object} doc The TypeBox `Doc` schema.
 * @param {string} version `SCHEMA_VERSION`.
 * @returns {string}
 */
export function schemaText(doc, version) {
  const { $id, title, ...rest } = hoistIds(JSON.parse(JSON.stringify(doc)));
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id,
    title,
    description: `JSON written by vnplan, schemaVersion ${version}. A breaking change (a field removed or renamed, a type narrowed) bumps the major version; an added optional field bumps the minor version. Field guide: SCHEMA.md.`,
    ...rest,
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/**
 * TypeBox embeds a named schema (`$id: 'Bbox'`) wherever it is used, but one
 * schema document may define an `$id` only once. Keep each named schema once,
 * under `$defs`, and point every use at it with `$ref` (resolved against the
 * root `$id`, as the recursive `Section` already does).
 *
 * @param {Record<string, unknown>} root
 */
function hoistIds(root) {
  const defs = {};
  const visit = (node, isRoot) => {
    if (Array.isArray(node)) return node.map((n) => visit(n, false));
    if (!node || typeof node !== 'object') return node;
    const out = {};
    for (const [key, value] of Object.entries(node)) out[key] = visit(value, false);
    if (!isRoot && typeof out.$id === 'string') {
      const id = out.$id;
      const seen = defs[id];
      if (seen && JSON.stringify(seen) !== JSON.stringify(out)) throw new Error(`write-schema: two different schemas named ${id}`);
      defs[id] = out;
      return { $ref: id };
    }
    return out;
  };
  const out = visit(root, true);
  const sorted = Object.fromEntries(Object.keys(defs).sort().map((k) => [k, defs[k]]));
  return { ...out, $defs: sorted };
}

/** Where the published schema lives. */
export const schemaPath = fileURLToPath(new URL('../src/model/vnplan.schema.json', import.meta.url));

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { Doc, SCHEMA_VERSION } = await import('../dist/model/doc.js');
  const text = schemaText(Doc, SCHEMA_VERSION);
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(schemaPath, 'utf8');
    } catch {
      // A missing file is out of date too.
    }
    if (current !== text) {
      console.error(`write-schema: ${schemaPath} is out of date; run \`npx tsc -p . && npm run schema\``);
      process.exit(1);
    }
    console.log('write-schema: schema is up to date');
  } else {
    writeFileSync(schemaPath, text);
    console.log(`write-schema: wrote ${schemaPath}`);
  }
}
