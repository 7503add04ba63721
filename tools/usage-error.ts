// A problem with what the user typed or asked for (a flag, a file, a port in use). Every layer of
// tools/ may throw it; the command prints its message as the one line it ends with (tools/cli/main.ts).

/** The message is one line, saying what is wrong and how to fix it. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Why a file could not be read, for the words' fileWhy: the system's code (ENOENT, EACCES…), else the message. */
export function fileErrorWhy(e: unknown): string {
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  return typeof code === 'string' ? code : String(message ?? e);
}
