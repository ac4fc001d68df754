import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { Doc, SCHEMA_VERSION } from '../src/model/doc.js';
import { structure } from '../src/stages/structure/index.js';
// @ts-expect-error: plain .mjs script without type declarations
import { schemaPath, schemaText } from '../scripts/write-schema.mjs';
import { fixtureDoc, fixtureNames } from './structure-fixtures.js';

const committed = readFileSync(schemaPath, 'utf8');

function validator() {
  const ajv = new Ajv2020.default({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(committed));
}

describe('published schema', () => {
  it('is the one generated from the TypeBox source', () => {
    expect(committed).toBe((schemaText as (d: unknown, v: string) => string)(Doc, SCHEMA_VERSION));
  });

  it('is draft 2020-12 and documents every structure field', () => {
    const schema = JSON.parse(committed);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const missing: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.properties && typeof n.properties === 'object') {
        for (const [key, value] of Object.entries(n.properties as Record<string, Record<string, unknown>>)) {
          if (path.includes('structure') && !value.description && !value.$ref && !(value.anyOf as unknown[] | undefined)) {
            // Nested objects carry their description on the object itself.
            if (!(value.type === 'object' && value.description)) missing.push(`${path}.${key}`);
          }
          walk(value, `${path}.${key}`);
        }
      }
      for (const key of ['items', 'anyOf']) {
        const child = n[key];
        if (Array.isArray(child)) child.forEach((c) => walk(c, path));
        else walk(child, path);
      }
    };
    walk(schema, '');
    expect(missing).toEqual([]);
  });

  for (const name of fixtureNames()) {
    it(`validates the output for fixture ${name}`, async () => {
      const validate = validator();
      const out = await structure()(fixtureDoc(name));
      const ok = validate(JSON.parse(JSON.stringify(out)));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    });
  }

  it('rejects a structure with a malformed date', async () => {
    const validate = validator();
    const out = await structure()(fixtureDoc('thong-bao'));
    const bad = JSON.parse(JSON.stringify(out));
    bad.structure.metadata.date = '21/4/2023';
    expect(validate(bad)).toBe(false);
  });
});
