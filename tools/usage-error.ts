// A problem with what the user typed or asked for (a flag, a file, a port in use). Every layer of
// tools/ may throw it; the command prints its message as the one line it ends with (tools/cli/main.ts).

/** The message is one line, saying what is wrong and how to fix it. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
