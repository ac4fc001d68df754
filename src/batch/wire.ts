import { VnplanError, isVnplanError, type ErrorCode } from '../errors.js';

/** An error as it crosses a thread boundary (structured clone drops classes). */
export interface WireError {
  name: string;
  message: string;
  code?: string;
  path?: string;
  page?: number;
  stack?: string;
}

/** Flatten an error for `postMessage`. */
export function toWire(error: unknown): WireError {
  if (isVnplanError(error)) {
    return { name: 'VnplanError', message: error.message, code: error.code, ...(error.path === undefined ? {} : { path: error.path }), ...(error.page === undefined ? {} : { page: error.page }) };
  }
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack === undefined ? {} : { stack: error.stack }) };
  return { name: 'Error', message: String(error) };
}

/** Rebuild an error sent with `toWire`: a `VnplanError` keeps its code, path and page. */
export function fromWire(wire: WireError): Error {
  if (wire.name === 'VnplanError' && wire.code !== undefined) {
    return new VnplanError(wire.code as ErrorCode, wire.message, {
      ...(wire.path === undefined ? {} : { path: wire.path }),
      ...(wire.page === undefined ? {} : { page: wire.page }),
    });
  }
  const error = new Error(wire.message);
  error.name = wire.name;
  if (wire.stack !== undefined) error.stack = wire.stack;
  return error;
}
