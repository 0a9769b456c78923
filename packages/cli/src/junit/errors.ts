/**
 * A result file that is not well-formed XML. The message follows Testmo's
 * `Failed to parse file: <file>` and adds the position, so the command layer
 * can print it as is (and skip the file under `--ignore-parse-error`).
 */
export class JUnitParseError extends Error {
  override readonly name = "JUnitParseError";

  constructor(
    readonly fileName: string,
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`Failed to parse file: ${fileName}: ${reason} (line ${line}, column ${column})`);
  }
}
