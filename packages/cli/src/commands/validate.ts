import { CliError } from "./errors.js";

/**
 * Option validation with Testmo's messages (cli.md §2). Every string is trimmed first, and an
 * optional value that is empty after trimming counts as absent.
 */
export function optionalString(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

export function trimmedList(values: string[] | undefined): string[] {
  return (values ?? []).map((value) => value.trim()).filter((value) => value !== "");
}

/** Integer ≥ 1; `+5` and `007` are accepted, as in Testmo's CLI. */
export function positiveId(value: string | undefined, message: string): number {
  const trimmed = value?.trim() ?? "";
  if (!/^\+?\d+$/.test(trimmed) || Number(trimmed) < 1 || !Number.isSafeInteger(Number(trimmed))) {
    throw new CliError(message);
  }
  return Number(trimmed);
}

export function optionalId(value: string | undefined, message: string): number | undefined {
  return optionalString(value) === undefined ? undefined : positiveId(value, message);
}

export function requiredText(value: string | undefined, message: string): string {
  const trimmed = optionalString(value);
  if (trimmed === undefined) throw new CliError(message);
  return trimmed;
}

const SOURCE_PATTERN = /^[a-zA-Z][a-zA-Z0-9-]+$/;

export function sourceName(value: string | undefined): string {
  const source = requiredText(value, "Source cannot be empty");
  if (!SOURCE_PATTERN.test(source)) {
    throw new CliError("Invalid source name: needs to be a single word (with dashes allowed)");
  }
  return source;
}

const TAG_PATTERN = /^[A-Za-z0-9_-]+$/;

export function tagList(values: string[] | undefined): string[] {
  const tags = trimmedList(values);
  for (const tag of tags) {
    if (!TAG_PATTERN.test(tag))
      throw new CliError("Invalid tag name: only letters, numbers, underscore and dash allowed");
  }
  return tags;
}

/**
 * The server address, reduced to its origin. Unlike Testmo's CLI (W8), plain http and hosts
 * without a TLD (`localhost`, `ci-server`) are accepted: self-hosted servers often have neither.
 */
export function instanceOrigin(value: string | undefined): string {
  const address = optionalString(value);
  if (address === undefined) throw new CliError("The server address (--instance) cannot be empty");
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new CliError("The server address (--instance) must be a valid URL, e.g. https://assay.example.com");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliError("The server address (--instance) must use http or https");
  }
  if (url.hostname === "")
    throw new CliError("The server address (--instance) must be a valid URL, e.g. https://assay.example.com");
  return url.origin;
}

export function proxyAddress(value: string | undefined): string | undefined {
  const address = optionalString(value);
  if (address === undefined) return undefined;
  try {
    const url = new URL(address);
    if ((url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "") return address;
  } catch {
    // fall through to the message below
  }
  throw new CliError("The proxy address must be a valid HTTP/HTTPS address");
}

export function batchSize(value: string | undefined, maximum: number): number {
  const size = positiveId(value, `Batch size needs to be a number between 1 and ${maximum}`);
  if (size > maximum) throw new CliError(`Batch size needs to be a number between 1 and ${maximum}`);
  return size;
}
