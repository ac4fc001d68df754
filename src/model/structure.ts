/**
 * Schema of the structure stage's output (`doc.structure`).
 *
 * Owned by the structure stage; this first cut fixes only the top-level
 * shape so the other stages and the writers can rely on it.
 */
import { Type, type Static } from '@sinclair/typebox';

export const Structure = Type.Object(
  {
    metadata: Type.Record(Type.String(), Type.Unknown()),
    sections: Type.Array(Type.Unknown()),
    references: Type.Array(Type.Unknown()),
    appendices: Type.Array(Type.Unknown()),
  },
  { $id: 'Structure' },
);
export type Structure = Static<typeof Structure>;
