// The board's console, for every part of the Moddable host: one line for the serial monitor, and
// an error as text (nothing may throw out of a callback of the SDK's, so errors end up here).
import { serialLine } from 'mqtt-pair/chip';

/** A release build's trace() reaches no serial monitor: the chip module writes the line there. */
export function logLine(line: string): void {
  if (!serialLine(line)) trace(`${line}\n`);
}

export function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
