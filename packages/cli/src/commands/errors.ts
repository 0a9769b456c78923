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
