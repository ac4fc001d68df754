import type { Doc } from './doc.js';

/**
 * A stage: configured once (dictionaries, workers are loaded by its factory),
 * then run per document. It returns a new `Doc` and never mutates its input.
 */
export type Stage = (doc: Doc) => Promise<Doc>;
