/**
 * An error the user caused or can act on: printed as one line, never with a stack.
 * `exitCode` 2 means bad input (usage, names, files, specs); 1 means a step failed.
 * `details` (for example the tail of a failed command's output) is printed below the line.
 */
export class UserError extends Error {
  readonly exitCode: number;
  readonly details: string | undefined;

  constructor(message: string, exitCode = 2, details?: string) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
    this.details = details;
  }
}
