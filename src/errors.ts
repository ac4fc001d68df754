/**
 * Errors vnplan reports to its users. A flat set: one base class with a
 * stable `code`, compared by `code`, never by `instanceof` depth.
 *
 * Exit codes follow OCRmyPDF's contract where one applies (see README).
 */

/** Stable error codes and the process exit code each maps to. */
export const EXIT_CODES = {
  OK: 0,
  BAD_ARGS: 1,
  INPUT_FILE: 2, // unreadable, empty, corrupt, unsupported or oversized input
  MISSING_DEPENDENCY: 3,
  OUTPUT_ACCESS: 5, // cannot write the output folder
  OCR_FAILED: 7, // the OCR engine crashed or timed out on every page
  ENCRYPTED_PDF: 8,
  SOME_FILES_FAILED: 10, // batch: at least one input failed, the rest were converted
  OTHER: 15,
  INTERRUPTED: 130,
} as const;

export type ErrorCode =
  | 'INPUT_NOT_FOUND'
  | 'INPUT_UNREADABLE'
  | 'INPUT_EMPTY'
  | 'INPUT_UNSUPPORTED'
  | 'INPUT_NOT_UTF8'
  | 'INPUT_CORRUPT'
  | 'INPUT_TOO_LARGE'
  | 'PDF_ENCRYPTED'
  | 'OCR_FAILED'
  | 'OCR_TIMEOUT'
  | 'OUTPUT_ACCESS'
  | 'BAD_ARGS'
  | 'INTERRUPTED'
  | 'INTERNAL';

const exitCodeOf: Record<ErrorCode, number> = {
  INPUT_NOT_FOUND: EXIT_CODES.INPUT_FILE,
  INPUT_UNREADABLE: EXIT_CODES.INPUT_FILE,
  INPUT_EMPTY: EXIT_CODES.INPUT_FILE,
  INPUT_UNSUPPORTED: EXIT_CODES.INPUT_FILE,
  INPUT_NOT_UTF8: EXIT_CODES.INPUT_FILE,
  INPUT_CORRUPT: EXIT_CODES.INPUT_FILE,
  INPUT_TOO_LARGE: EXIT_CODES.INPUT_FILE,
  PDF_ENCRYPTED: EXIT_CODES.ENCRYPTED_PDF,
  OCR_FAILED: EXIT_CODES.OCR_FAILED,
  OCR_TIMEOUT: EXIT_CODES.OCR_FAILED,
  OUTPUT_ACCESS: EXIT_CODES.OUTPUT_ACCESS,
  BAD_ARGS: EXIT_CODES.BAD_ARGS,
  INTERRUPTED: EXIT_CODES.INTERRUPTED,
  INTERNAL: EXIT_CODES.OTHER,
};

export interface VnplanErrorOptions {
  /** Input file the error is about (optional). */
  path?: string;
  /** 1-based page the error is about (optional). */
  page?: number;
  /** Underlying library error (optional). */
  cause?: unknown;
}

/**
 * An error meant for the user: `message` says what is wrong; `toString()`
 * prefixes the file and page, e.g. `scan-07.pdf, page 3: OCR failed (…)`.
 */
export class VnplanError extends Error {
  readonly code: ErrorCode;
  readonly path?: string;
  readonly page?: number;

  constructor(code: ErrorCode, message: string, options: VnplanErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VnplanError';
    this.code = code;
    if (options.path !== undefined) this.path = options.path;
    if (options.page !== undefined) this.page = options.page;
  }

  /** Process exit code for this error (README table). */
  get exitCode(): number {
    return exitCodeOf[this.code];
  }

  /** One line for stderr: `file, page N: message`. */
  override toString(): string {
    const where = [this.path, this.page === undefined ? undefined : `page ${this.page}`]
      .filter((part) => part !== undefined)
      .join(', ');
    return where ? `${where}: ${this.message}` : this.message;
  }
}

/** True for errors vnplan raised on purpose (works across module copies). */
export function isVnplanError(error: unknown): error is VnplanError {
  return error instanceof Error && error.name === 'VnplanError' && typeof (error as VnplanError).code === 'string';
}
