/** Operator codes from pdf.js `OPS` that matter for text visibility. */
export interface TextOps {
  save: number;
  restore: number;
  setTextRenderingMode: number;
  showText: number;
  showSpacedText: number;
  nextLineShowText: number;
  nextLineSetSpacingShowText: number;
}

/**
 * Count text-showing operators drawn visibly vs invisibly. Render mode 3
 * ("neither fill nor stroke") is how OCR tools (OCRmyPDF, Tesseract's PDF
 * renderer) lay an invisible text layer over a scan; mode 7 only clips.
 * The mode is graphics state, so it is saved and restored with q/Q.
 *
 * @param fnArray `operatorList.fnArray` of the page.
 * @param argsArray `operatorList.argsArray` of the page.
 * @param ops pdf.js's `OPS` table.
 */
export function countTextDraws(
  fnArray: ArrayLike<number>,
  argsArray: ArrayLike<unknown>,
  ops: TextOps,
): { visible: number; invisible: number } {
  const shows = new Set([ops.showText, ops.showSpacedText, ops.nextLineShowText, ops.nextLineSetSpacingShowText]);
  const stack: number[] = [];
  let mode = 0;
  let visible = 0;
  let invisible = 0;
  for (let index = 0; index < fnArray.length; index++) {
    const op = fnArray[index];
    if (op === ops.save) stack.push(mode);
    else if (op === ops.restore) mode = stack.pop() ?? 0;
    else if (op === ops.setTextRenderingMode) mode = Number((argsArray[index] as unknown[] | null)?.[0] ?? 0);
    else if (shows.has(op)) {
      if (mode === 3 || mode === 7) invisible++;
      else visible++;
    }
  }
  return { visible, invisible };
}
