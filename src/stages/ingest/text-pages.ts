import type { Page } from '../../model/doc.js';

/**
 * Split a text file into pages at form feeds and lines at line breaks
 * (LF, CRLF or CR). Trailing blank lines of a page are dropped, so a file
 * ending in a newline does not gain an empty line; blank lines inside a page
 * are kept because they separate paragraphs.
 */
export function textToPages(text: string): Page[] {
  const body = text.endsWith('\f') ? text.slice(0, -1) : text;
  return body.split('\f').map((pageText, index) => {
    const lines = pageText.split(/\r\n|\r|\n/);
    while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
    return {
      number: index + 1,
      origin: 'text-file' as const,
      confidence: null,
      lines: lines.map((line) => ({ text: line.replace(/\s+$/u, '') })),
      status: 'ok' as const,
    };
  });
}
