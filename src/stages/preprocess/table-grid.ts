/**
 * Ruled tables on a page image: find the long horizontal and vertical rules,
 * join the ones that cross into grids, and report each grid's rule positions.
 *
 * Tesseract reads a ruled table one printed line at a time straight across all
 * columns, which scrambles every cell; the grid found here lets the structure
 * stage put each OCR word back into its cell (`rebuildTableRows`).
 *
 * Works on the deskewed gray page (a residual tilt of about half a degree is
 * tolerated). All sizes scale with the page, so 200 and 300 dpi scans behave
 * alike.
 */
import type { TableGrid } from '../../model/doc.js';
import { tileStatistics } from './tile-statistics.js';

/** A grayscale page image: one byte per pixel, row-major. */
export interface GrayImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * A straight rule found on the page: `pos` across it (at its middle), `start`–`end`
 * along it, px; `slope` is its residual tilt (px across per px along).
 */
interface Rule {
  pos: number;
  start: number;
  end: number;
  slope: number;
  /** Mean thickness, px. */
  thickness: number;
}

/** Position across a rule at `t` along it (extrapolated along its tilt). */
function posAt(r: Rule, t: number): number {
  return r.pos + r.slope * (t - (r.start + r.end) / 2);
}

/**
 * Find ruled tables on a page image.
 *
 * A grid needs at least three horizontal and three vertical rules that cross
 * (two rows and two columns of cells). Tables drawn without side borders are
 * closed at the ends of their horizontal rules.
 *
 * @param image The deskewed gray page (0 = black, 255 = white).
 * @returns The grids, top to bottom, in pixels of `image`.
 */
export function findTableGrids(image: GrayImage): TableGrid[] {
  const { width, height } = image;
  if (width < 32 || height < 32) return [];
  const mask = darkMask(image);
  const scale = Math.max(width, height);
  const horizontal = findRules(mask, width, height, scale);
  // A grid needs three row rules; most pages (running text) have none, and
  // then the vertical search (a transposed copy of the page) is skipped.
  if (horizontal.length < 3) return [];
  const vertical = findRules(transpose(mask, width, height), height, width, scale);
  return buildGrids(horizontal, vertical, scale);
}

/**
 * Ink mask by a local threshold: a pixel is dark when it is clearly darker
 * than the mean of its neighbourhood (about 5 mm across). A global threshold
 * fails on scans with uneven light (one corner of the paper as dark as faded
 * ink elsewhere). The neighbourhood mean is taken over tiles, which is fast
 * and needs little memory even for a 600-dpi page.
 */
function darkMask({ data, width, height }: GrayImage): Uint8Array {
  const tile = Math.max(4, Math.round(Math.max(width, height) / 280));
  // Mean over the 5 × 5 tiles around each tile.
  const { columns: tw, means } = tileStatistics({ data, width, height }, tile, 2);
  // Darker than 85 % of the local mean and not near-white paper.
  const limits = means.map((mean) => Math.min(mean * 0.85, 215));
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const ty = Math.floor(y / tile) * tw;
    const row = y * width;
    for (let tx = 0, x = 0; tx < tw; tx++) {
      const end = Math.min(width, x + tile);
      const limit = limits[ty + tx];
      for (; x < end; x++) if (data[row + x] < limit) mask[row + x] = 1;
    }
  }
  return mask;
}

// In square blocks, so reads and writes both stay in cache.
function transpose(mask: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const block = 64;
  for (let by = 0; by < height; by += block) {
    const yEnd = Math.min(height, by + block);
    for (let bx = 0; bx < width; bx += block) {
      const xEnd = Math.min(width, bx + block);
      for (let y = by; y < yEnd; y++) {
        const row = y * width;
        for (let x = bx; x < xEnd; x++) out[x * height + y] = mask[row + x];
      }
    }
  }
  return out;
}

/** A run of ink along one pixel row, joined with runs in nearby rows into a rule. */
interface Piece {
  y0: number;
  y1: number;
  start: number;
  end: number;
  pixels: number;
  /** Least-squares sums over run centres (x, y) weighted by run length, for pos and tilt. */
  ySum: number;
  xSum: number;
  xxSum: number;
  xySum: number;
  /** Ink covered along each row of the piece, px (for finding a rule inside a thick piece). */
  cover: Map<number, number>;
}

/**
 * Horizontal rules of a mask (call with the transposed mask for vertical ones).
 * Long runs of ink along each row (small gaps bridged: faded or broken ink) are
 * chained with overlapping runs in the next rows; a chain that is long and
 * thin is a rule. Text gives only short runs, so it never becomes a rule.
 */
function findRules(mask: Uint8Array, width: number, height: number, scale: number): Rule[] {
  const gap = Math.max(2, Math.round(scale / 600)); // bridge breaks up to ~0.5 mm (faded ink)
  const minRun = Math.max(20, Math.round(scale / 70)); // ~5 mm: longer than any letter stroke
  const minLength = Math.max(40, Math.round(scale / 25)); // ~12 mm
  const maxThickness = Math.max(6, Math.round(scale / 300)); // ~1 mm
  // A tilted rule steps one row every few hundred px: let a chain skip a row or two.
  const reach = 3;

  const done: Piece[] = [];
  let open: Piece[] = [];
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const runs: Array<[number, number]> = [];
    let x = 0;
    while (x < width) {
      if (!mask[row + x]) {
        x++;
        continue;
      }
      const start = x;
      let last = x;
      while (x < width && x - last <= gap) {
        if (mask[row + x]) last = x;
        x++;
      }
      if (last + 1 - start >= minRun) runs.push([start, last + 1]);
      x = last + 1;
    }
    const next: Piece[] = [];
    const taken = new Set<Piece>();
    for (const [start, end] of runs) {
      // Join the open piece this run overlaps most (rules do not fork).
      let best: Piece | undefined;
      let bestOverlap = 0;
      for (const p of open) {
        const overlap = Math.min(end, p.end) - Math.max(start, p.start);
        if (overlap > bestOverlap && !taken.has(p)) {
          best = p;
          bestOverlap = overlap;
        }
      }
      if (best && bestOverlap >= Math.min(end - start, best.end - best.start) * 0.3) {
        taken.add(best);
        best.y1 = y;
        best.start = Math.min(best.start, start);
        best.end = Math.max(best.end, end);
        addRun(best, y, start, end);
        next.push(best);
      } else {
        const piece = { y0: y, y1: y, start, end, pixels: 0, ySum: 0, xSum: 0, xxSum: 0, xySum: 0, cover: new Map<number, number>() };
        addRun(piece, y, start, end);
        next.push(piece);
      }
    }
    for (const p of open) {
      if (taken.has(p)) continue;
      if (y - p.y1 <= reach) next.push(p);
      else done.push(p);
    }
    open = next;
  }
  done.push(...open);

  const rules: Rule[] = [];
  for (const p of done) {
    const length = p.end - p.start;
    if (length < minLength) continue;
    const thickness = p.pixels / length;
    if (thickness > maxThickness) {
      // A filled block or a band of text, not a rule; but text touching a rule joins it into
      // one thick piece: keep the rows inked along most of the length, if they form a thin band.
      rules.push(...ruleInside(p, maxThickness));
      continue;
    }
    const mx = p.xSum / p.pixels;
    const my = p.ySum / p.pixels;
    const varX = p.xxSum / p.pixels - mx * mx;
    const slope = varX > 1 ? (p.xySum / p.pixels - mx * my) / varX : 0;
    rules.push({ pos: my + slope * ((p.start + p.end) / 2 - mx), start: p.start, end: p.end, slope, thickness });
  }
  // Rules on one page are parallel: give every one the page's tilt (the length-weighted median),
  // since a short piece's own fit is too noisy to extend across the table.
  const tilt = weightedMedian(rules.map((r) => ({ value: r.slope, weight: r.end - r.start })));
  for (const r of rules) r.slope = tilt;
  return mergeCollinear(rules, scale);
}

function weightedMedian(items: Array<{ value: number; weight: number }>): number {
  const sorted = [...items].sort((a, b) => a.value - b.value);
  const total = sorted.reduce((t, i) => t + i.weight, 0);
  let acc = 0;
  for (const i of sorted) {
    acc += i.weight;
    if (acc >= total / 2) return i.value;
  }
  return 0;
}

/** Thin bands of rows inked along at least 80 % of a thick piece's length. */
function ruleInside(p: Piece, maxThickness: number): Rule[] {
  const length = p.end - p.start;
  const rows = [...p.cover].filter(([, covered]) => covered >= length * 0.8).map(([y]) => y).sort((a, b) => a - b);
  const out: Rule[] = [];
  let band: number[] = [];
  const flush = () => {
    if (band.length > 0 && band.length <= maxThickness) {
      out.push({ pos: band.reduce((a, b) => a + b, 0) / band.length, start: p.start, end: p.end, slope: 0, thickness: band.length });
    }
    band = [];
  };
  for (const y of rows) {
    if (band.length > 0 && y - band[band.length - 1] > 1) flush();
    band.push(y);
  }
  flush();
  return out;
}

function addRun(p: Piece, y: number, start: number, end: number): void {
  const w = end - start;
  const x = (start + end) / 2;
  p.pixels += w;
  p.ySum += y * w;
  p.xSum += x * w;
  p.xxSum += x * x * w;
  p.xySum += x * y * w;
  p.cover.set(y, (p.cover.get(y) ?? 0) + w);
}

/**
 * Join pieces of one rule broken by a gap (faded ink, a stamp, a fold): pieces
 * that meet end to end where each one's line, extended, meets the other.
 */
function mergeCollinear(rules: Rule[], scale: number): Rule[] {
  const across = Math.max(3, Math.round(scale / 500));
  const along = Math.max(20, Math.round(scale / 50)); // ~7 mm
  const sorted = [...rules].sort((a, b) => a.start - b.start);
  const out: Rule[] = [];
  for (const r of sorted) {
    const match = out.find((o) => {
      if (r.start > o.end + along || o.start > r.end + along) return false;
      // Compare where the two meet (the middle of their gap or overlap).
      const t = (Math.max(o.start, r.start) + Math.min(o.end, r.end)) / 2;
      return Math.abs(posAt(o, t) - posAt(r, t)) <= across;
    });
    if (!match) {
      out.push({ ...r });
      continue;
    }
    const la = match.end - match.start;
    const lb = r.end - r.start;
    const start = Math.min(match.start, r.start);
    const end = Math.max(match.end, r.end);
    // Refit through the far ends of both pieces.
    const a = match.start <= r.start ? match : r;
    const b = match.end >= r.end ? match : r;
    const yStart = posAt(a, start);
    const yEnd = posAt(b, end);
    match.slope = end > start ? (yEnd - yStart) / (end - start) : 0;
    match.pos = (yStart + yEnd) / 2;
    match.thickness = (match.thickness * la + r.thickness * lb) / (la + lb);
    match.start = start;
    match.end = end;
  }
  return out.sort((a, b) => a.pos - b.pos);
}

/** Group crossing rules into grids and read off their row and column positions. */
function buildGrids(horizontal: Rule[], vertical: Rule[], scale: number): TableGrid[] {
  const tol = Math.max(6, Math.round(scale / 250)); // a rule may stop just short of the one it meets
  const crosses = (h: Rule, v: Rule) => {
    const x = posAt(v, h.pos);
    const y = posAt(h, x);
    return x >= h.start - tol && x <= h.end + tol && y >= v.start - tol && y <= v.end + tol;
  };

  // Connected components of the crossing graph (union-find over h then v indices).
  const n = horizontal.length + vertical.length;
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const degree = new Array<number>(n).fill(0);
  horizontal.forEach((h, i) => {
    vertical.forEach((v, j) => {
      if (!crosses(h, v)) return;
      degree[i]++;
      degree[horizontal.length + j]++;
      parent[find(i)] = find(horizontal.length + j);
    });
  });
  const groups = new Map<number, { h: Rule[]; v: Rule[] }>();
  horizontal.forEach((h, i) => {
    if (degree[i] < 2) return; // a stray line touching the table once
    const g = groups.get(find(i)) ?? { h: [], v: [] };
    g.h.push(h);
    groups.set(find(i), g);
  });
  vertical.forEach((v, j) => {
    if (degree[horizontal.length + j] < 2) return;
    const g = groups.get(find(horizontal.length + j)) ?? { h: [], v: [] };
    g.v.push(v);
    groups.set(find(horizontal.length + j), g);
  });

  const grids: TableGrid[] = [];
  for (const { h, v } of groups.values()) {
    if (h.length < 2 || v.length < 2) continue;
    // Positions at the middle of the table, so a slight residual tilt averages out.
    const cx = (Math.min(...h.map((r) => r.start)) + Math.max(...h.map((r) => r.end))) / 2;
    const cy = (Math.min(...v.map((r) => r.start)) + Math.max(...v.map((r) => r.end))) / 2;
    const rows = cluster(h.map((r) => posAt(r, cx)), tol);
    const columns = cluster(v.map((r) => posAt(r, cy)), tol);
    // Open sides: rules that run well past the outermost crossing rule close the table there.
    const left = Math.min(...h.map((r) => r.start));
    const right = Math.max(...h.map((r) => r.end));
    const top = Math.min(...v.map((r) => r.start));
    const bottom = Math.max(...v.map((r) => r.end));
    const margin = Math.max(3 * tol, Math.round(scale / 80));
    if (columns[0] - left > margin) columns.unshift(left);
    if (right - columns[columns.length - 1] > margin) columns.push(right);
    if (rows[0] - top > margin) rows.unshift(top);
    if (bottom - rows[rows.length - 1] > margin) rows.push(bottom);
    if (rows.length < 3 || columns.length < 3) continue;
    grids.push({
      bbox: { x0: columns[0], y0: rows[0], x1: columns[columns.length - 1], y1: rows[rows.length - 1] },
      rows,
      columns,
    });
  }
  return grids.sort((a, b) => a.bbox.y0 - b.bbox.y0 || a.bbox.x0 - b.bbox.x0);
}

/** Merge positions closer than `tol` (one rule found twice); rounded, ascending. */
function cluster(values: number[], tol: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v - last[last.length - 1] <= tol) last.push(v);
    else out.push([v]);
  }
  return out.map((c) => Math.round(c.reduce((a, b) => a + b, 0) / c.length));
}

/** A cell that spans columns in one row of a grid: its column rules are not printed there. */
export interface GridSpan {
  /** 0-based row of the grid. */
  row: number;
  /** First and last column it covers, 0-based, inclusive. */
  from: number;
  to: number;
}

/**
 * Cells spanning columns (a group row's title across the table): for each row
 * of the grid, the interior column rules that are not inked along that row.
 * For OCR of a table cell by cell, which must crop a spanning cell whole.
 *
 * @param image The page the grid was found on.
 * @param grid A grid from `findTableGrids` on that page.
 * @returns Spans, by row then column.
 */
export function findSpans(image: GrayImage, grid: TableGrid): GridSpan[] {
  const { width, height } = image;
  const mask = darkMask(image);
  const scale = Math.max(width, height);
  const search = Math.max(6, Math.round(scale / 80)); // the rule may sit this far from the grid x (tilt)
  const gap = Math.max(2, Math.round(scale / 600)); // breaks in faded ink
  const inked = (x: number, y: number) => x > 0 && x < width - 1 && (mask[y * width + x] | mask[y * width + x - 1] | mask[y * width + x + 1]) === 1;
  const spans: GridSpan[] = [];
  for (let r = 0; r + 1 < grid.rows.length; r++) {
    const top = Math.round(grid.rows[r]);
    const bottom = Math.round(grid.rows[r + 1]);
    // Leave out the ends, where the row rules cross.
    const margin = Math.max(gap * 3, Math.round((bottom - top) * 0.1));
    const y0 = Math.max(0, top + margin);
    const y1 = Math.min(height, bottom - margin);
    if (y1 - y0 < 8) continue;
    let open: GridSpan | null = null;
    for (let k = 1; k + 1 < grid.columns.length; k++) {
      const present = ruleAcross(inked, Math.round(grid.columns[k]), y0, y1, search, gap);
      if (!present) {
        if (open) open.to = k;
        else open = { row: r, from: k - 1, to: k };
      } else if (open) {
        spans.push(open);
        open = null;
      }
    }
    if (open) spans.push(open);
  }
  return spans;
}

/**
 * Is there a vertical rule near x between y0 and y1: a straight, slightly
 * tilted line inked without a break longer than `gap` along 85 % of the
 * height? Text crossing the column has breaks between its lines and letters.
 */
function ruleAcross(inked: (x: number, y: number) => boolean, x: number, y0: number, y1: number, search: number, gap: number): boolean {
  const h = y1 - y0;
  const mid = (y0 + y1) / 2;
  for (let slope = -0.03; slope <= 0.03 + 1e-9; slope += 0.005) {
    for (let dx = -search; dx <= search; dx++) {
      let run = 0;
      let best = 0;
      let miss = 0;
      for (let y = y0; y < y1; y++) {
        if (inked(Math.round(x + dx + slope * (y - mid)), y)) {
          run += miss + 1;
          miss = 0;
        } else if (++miss > gap) {
          run = 0;
          miss = 0;
        }
        if (run > best) best = run;
      }
      if (best >= h * 0.85) return true;
    }
  }
  return false;
}
