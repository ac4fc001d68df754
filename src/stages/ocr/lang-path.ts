import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Folder holding `vie.traineddata.gz` (LSTM "best_int" model) inside the
 * installed `@tesseract.js-data/vie` package. Resolved from node_modules so
 * nothing is ever downloaded.
 */
export function vieLangPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tesseract.js-data/vie/package.json')), '4.0.0_best_int');
}
