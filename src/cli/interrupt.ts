/**
 * Ctrl-C for the CLI: the first SIGINT/SIGTERM asks the running command to
 * stop cleanly (through an AbortSignal); a second one, or one while no
 * command listens, ends the process at once (see `index.ts`).
 */
const controller = new AbortController();
let listening = false;

/**
 * Claim graceful interruption for the running command.
 *
 * @returns A signal aborted on the first SIGINT/SIGTERM.
 */
export function interruptSignal(): AbortSignal {
  listening = true;
  return controller.signal;
}

/**
 * Record an interrupt.
 *
 * @returns True when a command handles it (the process must keep running to let it finish cleanly).
 */
export function interrupt(reason: string): boolean {
  if (!listening || controller.signal.aborted) return false;
  controller.abort(new Error(reason));
  return true;
}
