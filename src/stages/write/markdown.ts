import type { Doc } from '../../model/doc.js';

/**
 * Render a document as Markdown.
 * To do: placeholder until the structure-aware renderer lands (prints page lines).
 */
export function renderMarkdown(doc: Doc): string {
  return doc.pages.map((page) => page.lines.map((line) => line.text).join('\n')).join('\n\n---\n\n') + '\n';
}
