import cliProgress from 'cli-progress';
import type { BatchEvent } from './run-batch.js';
import type { Summary, SummaryEntry } from './summary.js';

/** How progress is shown. */
export type ProgressMode = 'tty' | 'plain' | 'json' | 'quiet';

/** Options of `createProgress`. */
export interface ProgressOptions {
  /** `tty`: live bar; `plain`: one line per finished file; `json`: one JSON object per event; `quiet`: failures only. */
  readonly mode: ProgressMode;
  /** Where to write (stderr: stdout stays free for piping). */
  readonly stream: NodeJS.WritableStream;
  /** One input named on the command line: no totals table, and a failure is left to the caller's one error line. */
  readonly single?: boolean;
  /** Add error stacks to failure lines. */
  readonly debug?: boolean;
}

/** A progress display fed with batch events. */
export interface Progress {
  onEvent(event: BatchEvent): void;
  /** Stop the live display (idempotent), e.g. before printing an error. */
  stop(): void;
}

/**
 * Create the progress display for a batch: a live bar on a terminal (files,
 * pages, pages/min, ETA, current file), plain lines otherwise, JSON lines
 * for machines, or failures only (`quiet`).
 */
export function createProgress(options: Readonly<ProgressOptions>): Progress {
  if (options.mode === 'json') return jsonProgress(options.stream);
  return textProgress(options);
}

function jsonProgress(stream: NodeJS.WritableStream): Progress {
  const write = (value: Record<string, unknown>) => stream.write(`${JSON.stringify(value)}\n`);
  return {
    onEvent(event) {
      switch (event.type) {
        case 'start':
          write({ event: 'start', inputs: event.inputs, skipped: event.skipped, jobs: event.jobs, outDir: event.outDir });
          break;
        case 'file-start':
          write({ event: 'file-start', input: event.input });
          break;
        case 'page':
          write({ event: 'page', input: event.input, page: event.page });
          break;
        case 'file': {
          const { sha256: _sha, key: _key, outputs: _outputs, ...entry } = event.entry;
          write({ event: 'file', ...entry });
          break;
        }
        case 'end':
          write({ event: 'end', interrupted: event.interrupted, complete: event.summary.complete, totals: event.summary.totals });
          break;
      }
    },
    stop() {},
  };
}

function textProgress(options: Readonly<ProgressOptions>): Progress {
  const { stream } = options;
  const started = performance.now();
  let bar: cliProgress.SingleBar | undefined;
  let multi: cliProgress.MultiBar | undefined;
  let total = 0;
  let done = 0;
  let doneWork = 0; // files converted by this run (not resumed or skipped): the base of the ETA
  let pages = 0;
  let current = '';
  let outDir = '';

  const say = (line: string) => {
    if (multi) multi.log(`${line}\n`);
    else stream.write(`${line}\n`);
  };
  const payload = () => {
    const minutes = (performance.now() - started) / 60_000;
    const remaining = total - done;
    const eta = doneWork > 0 ? ((performance.now() - started) / 1000 / doneWork) * remaining : null;
    return {
      pages,
      rate: minutes > 0 ? (pages / minutes).toFixed(1) : '0.0',
      etaText: remaining === 0 ? '0s' : eta === null ? '…' : formatSeconds(eta),
      file: current.length > 40 ? `…${current.slice(-39)}` : current,
    };
  };
  const update = () => bar?.update(done, payload());
  const stop = () => {
    if (multi) {
      multi.stop();
      multi = undefined;
      bar = undefined;
    }
  };

  return {
    onEvent(event) {
      switch (event.type) {
        case 'start':
          total = event.inputs;
          outDir = event.outDir;
          if (options.mode === 'tty' && total > 0) {
            multi = new cliProgress.MultiBar(
              {
                stream,
                format: '{bar} {value}/{total} files | {pages} pages | {rate} pages/min | ETA {etaText} | {file}',
                hideCursor: true,
                clearOnComplete: true,
                etaBuffer: 20,
              },
              cliProgress.Presets.shades_classic,
            );
            bar = multi.create(total, 0, payload());
          }
          break;
        case 'file-start':
          current = event.input;
          update();
          break;
        case 'page':
          pages++;
          update();
          break;
        case 'file': {
          const entry = event.entry;
          if (entry.status !== 'skipped') {
            done++;
            if (!entry.resumed) doneWork++;
          }
          // Plain logs list every file; a live display and --quiet only failures
          // (a single input's failure is the caller's one error line).
          const worthALine = options.mode === 'plain' ? !(options.single && entry.status === 'failed') : entry.status === 'failed' && !options.single;
          if (worthALine) say(fileLine(entry, outDir));
          // Known errors are explained by their line; a stack only helps with bugs.
          if (options.debug && event.error instanceof Error && event.error.name !== 'VnplanError' && event.error.stack) say(event.error.stack);
          update();
          break;
        }
        case 'end':
          stop();
          if (!options.single && options.mode !== 'quiet') stream.write(totalsTable(event.summary, outDir));
          break;
      }
    },
    stop,
  };
}

/**
 * The line printed for a finished file, e.g.
 * `ok       a/b.pdf → a/b.{json,txt,md}  3 pages, 12.5 s, OCR 91.2, 4 corrections (1 to review)`.
 */
export function fileLine(entry: SummaryEntry, outDir = ''): string {
  if (entry.status === 'skipped') return `skipped  ${entry.input} (${entry.reason ?? 'not a document'})`;
  if (entry.status === 'failed') {
    const error = entry.error;
    const where = error?.page ? `, page ${error.page}` : '';
    return `failed   ${entry.input}${where}: ${error?.message ?? 'unknown error'} [${error?.code ?? 'INTERNAL'}]${entry.resumed ? ' (earlier run; --retry-failed redoes it)' : ''}`;
  }
  const target = `${outDir ? `${outDir.replace(/\/+$/, '')}/` : ''}${entry.output}.{json,txt,md}`;
  const facts = [`${entry.pages} page${entry.pages === 1 ? '' : 's'}`];
  if (entry.resumed) facts.push('done earlier');
  else facts.push(`${entry.seconds.toFixed(1)} s`);
  if (entry.confidence !== null) facts.push(`OCR ${entry.confidence.toFixed(1)}`);
  if (entry.corrections > 0) {
    facts.push(`${entry.corrections} correction${entry.corrections === 1 ? '' : 's'}${entry.lowConfidenceCorrections > 0 ? ` (${entry.lowConfidenceCorrections} to review)` : ''}`);
  }
  if (entry.failedPages.length > 0) facts.push(`unreadable page${entry.failedPages.length === 1 ? '' : 's'} ${entry.failedPages.map((page) => page.page).join(', ')}`);
  return `ok       ${entry.input} → ${target}  ${facts.join(', ')}`;
}

/** The totals table printed at the end of a batch. */
export function totalsTable(summary: Summary, outDir: string): string {
  const t = summary.totals;
  const rows: Array<[string, number, string]> = [
    ['ok', t.ok, String(t.pages)],
    ['failed', t.failed, '-'],
    ['skipped', t.skipped, '-'],
  ];
  if (t.pending > 0) rows.push(['not done', t.pending, '-']);
  rows.push(['total', t.files, String(t.pages)]);
  const lines = ['', 'status      files   pages'];
  for (const [label, files, pages] of rows) lines.push(`${label.padEnd(10)}${String(files).padStart(7)}${pages.padStart(8)}`);
  const notes = [`${t.pagesThisRun} pages converted in ${formatSeconds(t.seconds)} (${t.pagesPerMinute.toFixed(1)} pages/min)`];
  if (t.resumed > 0) notes.push(`${t.resumed} reused from an earlier run`);
  if (t.confidence !== null) notes.push(`mean OCR confidence ${t.confidence.toFixed(1)}`);
  notes.push(`${t.corrections} corrections, ${t.lowConfidenceCorrections} to review`);
  if (t.failedPages > 0) notes.push(`${t.failedPages} unreadable page${t.failedPages === 1 ? '' : 's'}`);
  lines.push(notes.join(' · '));
  lines.push(`summary: ${outDir.replace(/\/+$/, '')}/vnplan-summary.json`, '');
  return lines.join('\n');
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
