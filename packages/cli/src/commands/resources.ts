import { existsSync, fstatSync } from "node:fs";
import { stat } from "node:fs/promises";
import type { FieldTypeName } from "@assay/api";
import { FIELD_TYPES } from "../api-values.js";
import {
  DEFAULT_RESOURCES_FILE,
  type ResourceArtifact,
  type ResourceLink,
  type Resources,
  readResourcesFileOrEmpty,
  writeResourcesFile,
} from "../resources/file.js";
import { mimeTypeFor } from "../resources/mime.js";
import { isLinkUrl } from "../resources/validation.js";
import type { CommandContext } from "./context.js";
import { CliError } from "./errors.js";
import { optionalString, requiredText } from "./validate.js";

const STDIN_TYPES = new Set<FieldTypeName>(["text", "console", "html"]);

export interface AddFieldOptions {
  type?: string;
  name?: string;
  value?: string;
  resources?: string;
}

/** automation:resources:add-field — local only: validates the file, appends one field, rewrites it. */
export async function addField(context: CommandContext, options: AddFieldOptions): Promise<number> {
  const type = options.type?.trim() ?? "";
  if (!Object.hasOwn(FIELD_TYPES, type)) throw new CliError("Type must be either: string, url, text, console, html");
  const name = requiredText(options.name, "Name cannot be empty");
  const value = STDIN_TYPES.has(type as FieldTypeName)
    ? await multiLineValue(context, options.value)
    : singleLineValue(type as FieldTypeName, options.value);
  await appendTo(options.resources, (resources) => resources.fields.push({ type: type as FieldTypeName, name, value }));
  context.logger.debug(`Added ${type} field "${name}"`);
  return 0;
}

export interface AddLinkOptions {
  name?: string;
  url?: string;
  note?: string;
  resources?: string;
}

export async function addLink(context: CommandContext, options: AddLinkOptions): Promise<number> {
  const link: ResourceLink = { name: requiredText(options.name, "Name cannot be empty"), url: linkUrl(options.url) };
  const note = optionalString(options.note);
  if (note !== undefined) link.note = note;
  await appendTo(options.resources, (resources) => resources.links.push(link));
  context.logger.debug(`Added link "${link.name}"`);
  return 0;
}

export interface AddArtifactOptions extends AddLinkOptions {
  file?: string;
}

export async function addArtifact(context: CommandContext, options: AddArtifactOptions): Promise<number> {
  const artifact: ResourceArtifact = {
    name: requiredText(options.name, "Name cannot be empty"),
    url: linkUrl(options.url),
  };
  const note = optionalString(options.note);
  if (note !== undefined) artifact.note = note;
  const file = optionalString(options.file);
  if (file !== undefined) {
    if (!existsSync(file)) throw new CliError(`Artifact file does not exist: ${file}`);
    // Recorded only: like Testmo's CLI, the file itself is not uploaded.
    artifact.size = (await stat(file)).size;
    const mimeType = mimeTypeFor(file);
    if (mimeType) artifact.mimeType = mimeType;
  }
  await appendTo(options.resources, (resources) => resources.artifacts.push(artifact));
  context.logger.debug(`Added artifact "${artifact.name}"`);
  return 0;
}

function linkUrl(value: string | undefined): string {
  const url = requiredText(value, "URL is not a valid link");
  if (!isLinkUrl(url)) throw new CliError("URL is not a valid link");
  return url;
}

function singleLineValue(type: FieldTypeName, raw: string | undefined): string {
  const value = optionalString(raw);
  if (value === undefined) throw new CliError("Field value is missing");
  if (type === "url" && !isLinkUrl(value)) throw new CliError("URL is not a valid link");
  return value;
}

/**
 * text/console/html values come from stdin. Testmo accepts only a pipe; a redirected regular
 * file works here too (W25). A terminal or /dev/null is refused with Testmo's message, unless
 * --value was given, which then serves as the value.
 */
async function multiLineValue(context: CommandContext, fallback: string | undefined): Promise<string> {
  if (stdinHasData(context)) return (await readAll(context.stdin)).trim();
  const value = optionalString(fallback);
  if (value !== undefined) return value;
  throw new CliError("Required stdin for text, console, html is empty");
}

function stdinHasData(context: CommandContext): boolean {
  if (context.stdin.isTTY) return false;
  try {
    const info = fstatSync(context.stdin.fd ?? 0);
    return info.isFIFO() || info.isFile() || info.isSocket();
  } catch {
    return false;
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

async function appendTo(file: string | undefined, add: (resources: Resources) => void): Promise<void> {
  const path = optionalString(file) ?? DEFAULT_RESOURCES_FILE;
  const resources = await readResourcesFileOrEmpty(path);
  add(resources);
  await writeResourcesFile(path, resources);
}
