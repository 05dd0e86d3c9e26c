/** Where CLI commands write; tests pass their own. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** The working folder paths are relative to. */
  readonly cwd: string;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  cwd: process.cwd(),
};

/** A command's outcome: 0 success, 1 the input failed (invalid contract, failed check), 2 misuse. */
export type ExitCode = 0 | 1 | 2;

/** Thrown for a mistake in how the command was called; printed without a stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A path the user named has nothing there: printed as "file not found" (exit 1), with a hint. */
export class MissingFileError extends Error {
  constructor(
    readonly path: string,
    readonly hint: string,
  ) {
    super(`file not found: ${path}`);
    this.name = 'MissingFileError';
  }
}
