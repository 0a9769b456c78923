/** An error whose message is printed as is (no stack) and which ends the command with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    /** Extra lines printed after the message (e.g. the 401 token hint). */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** A failure of the user's rewriter script: never a parse error, so --ignore-parse-error does not hide it. */
export class RewriterError extends CliError {}
