import { Doc, type Doc as DocType } from '../../model/doc.js';

type Schema = Record<string, unknown> & {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  additionalProperties?: Schema | boolean;
  patternProperties?: Record<string, Schema>;
};

/**
 * Render a document as JSON: deterministic (same Doc ⇒ same bytes), keys in
 * the order the schema declares them (so `schemaVersion` comes first), keys
 * the schema does not name in sorted order; two-space indent, final newline.
 * Nothing time- or machine-dependent is added.
 */
export function renderJson(doc: DocType): string {
  return `${JSON.stringify(order(doc, Doc as unknown as Schema), null, 2)}\n`;
}

function order(value: unknown, schema: Schema | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => order(item, schema?.items ?? pickBranch(item, schema)));
  if (value === null || typeof value !== 'object') return value;
  const objectSchema = pickBranch(value, schema);
  const properties = objectSchema?.properties ?? {};
  const known = Object.keys(properties).filter((key) => key in value);
  const rest = Object.keys(value)
    .filter((key) => !(key in properties))
    .sort();
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of known) if (record[key] !== undefined) out[key] = order(record[key], properties[key]);
  const extra = typeof objectSchema?.additionalProperties === 'object' ? objectSchema.additionalProperties : undefined;
  for (const key of rest) if (record[key] !== undefined) out[key] = order(record[key], extra);
  return out;
}

// Unions: take the object branch that names most of the value's keys.
function pickBranch(value: unknown, schema: Schema | undefined): Schema | undefined {
  if (!schema?.anyOf) return schema;
  if (Array.isArray(value)) return schema.anyOf.find((branch) => branch.type === 'array');
  if (value === null || typeof value !== 'object') return undefined;
  let best: Schema | undefined;
  let bestScore = -1;
  for (const branch of schema.anyOf) {
    if (branch.type !== 'object' && !branch.anyOf) continue;
    const resolved = pickBranch(value, branch);
    const names = Object.keys(resolved?.properties ?? {});
    const score = names.filter((name) => name in value).length;
    if (score > bestScore) [best, bestScore] = [resolved, score];
  }
  return best;
}
