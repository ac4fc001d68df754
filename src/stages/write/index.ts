/**
 * Write: render a finished document as JSON, text and Markdown and publish
 * the three files atomically.
 */
import { join } from 'node:path';
import type { Doc } from '../../model/doc.js';
import { writeFilesAtomically } from './atomic.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';

export { renderJson } from './json.js';
export { renderText } from './text.js';
export { renderMarkdown } from './markdown.js';
export { writeFilesAtomically } from './atomic.js';

/** Paths of the files `writeOutputs` wrote. */
export interface WrittenOutputs {
  json: string;
  txt: string;
  md: string;
}

/**
 * Write `<stem>.json`, `<stem>.txt` and `<stem>.md` into `outDir` (created if
 * missing). All three are rendered first, then staged as temporary files and
 * renamed into place together: on any failure no output file is left behind
 * and an existing one is not touched.
 *
 * @throws {VnplanError} `OUTPUT_ACCESS` when the folder cannot be written.
 */
export async function writeOutputs(doc: Doc, outDir: string, stem: string): Promise<WrittenOutputs> {
  const paths: WrittenOutputs = {
    json: join(outDir, `${stem}.json`),
    txt: join(outDir, `${stem}.txt`),
    md: join(outDir, `${stem}.md`),
  };
  const contents = [
    [paths.json, renderJson(doc)],
    [paths.txt, renderText(doc)],
    [paths.md, renderMarkdown(doc)],
  ] as const;
  await writeFilesAtomically(contents);
  return paths;
}
