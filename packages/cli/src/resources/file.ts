import { existsSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import type { CreateAutomationArtifact, CreateAutomationField, CreateAutomationLink, FieldTypeName } from "@assay/api";
import { FIELD_TYPES } from "../api-values.js";
import { CliError } from "../commands/errors.js";
import { NOTE_LIMIT, truncateHtml, truncateString, truncateText } from "../upload/truncate.js";
import { isLinkUrl, MIME_TYPE_PATTERN } from "./validation.js";

/** The resources file schema shared with Testmo's CLI (cli.md §6.1), including camelCase `mimeType`. */
export interface ResourceField {
  type: FieldTypeName;
  name: string;
  value: string;
}
export interface ResourceLink {
  name: string;
  url: string;
  note?: string;
}
export interface ResourceArtifact {
  name: string;
  url: string;
  note?: string;
  mimeType?: string;
  size?: number;
}
export interface Resources {
  fields: ResourceField[];
  links: ResourceLink[];
  artifacts: ResourceArtifact[];
}

export const DEFAULT_RESOURCES_FILE = "testmo-resources.json";

export function emptyResources(): Resources {
  return { fields: [], links: [], artifacts: [] };
}

export function countResources(resources: Resources): number {
  return resources.fields.length + resources.links.length + resources.artifacts.length;
}

/** Reads and validates a resources file; a missing file is an error worded by the caller. */
export async function readResourcesFile(path: string, missingMessage: string): Promise<Resources> {
  if (!existsSync(path)) throw new CliError(missingMessage);
  return parseResources(await readFile(path, "utf8"));
}

/** add-* commands start from an empty set when the file does not exist yet. */
export async function readResourcesFileOrEmpty(path: string): Promise<Resources> {
  return existsSync(path) ? parseResources(await readFile(path, "utf8")) : emptyResources();
}

/**
 * Written compactly with each section only when non-empty, as Testmo's CLI does. The write goes
 * through a temporary file and a rename, so a crash never leaves a half-written file behind.
 */
export async function writeResourcesFile(path: string, resources: Resources): Promise<void> {
  const output: Partial<Resources> = {};
  if (resources.fields.length > 0) output.fields = resources.fields;
  if (resources.links.length > 0) output.links = resources.links;
  if (resources.artifacts.length > 0) output.artifacts = resources.artifacts;
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(output));
  await rename(temporary, path);
}

export function parseResources(text: string): Resources {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const root = (data && typeof data === "object" ? data : {}) as Record<string, unknown>;
  return {
    fields: arrayOf(root.fields).map(validateField),
    links: arrayOf(root.links).map(validateLink),
    artifacts: arrayOf(root.artifacts).map(validateArtifact),
  };
}

function arrayOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map((item) => (item && typeof item === "object" ? item : {})) : [];
}

function nonEmpty(value: unknown): value is string | number | boolean {
  return value !== undefined && value !== null && String(value).trim() !== "";
}

function validateField(item: Record<string, unknown>): ResourceField {
  if (!nonEmpty(item.type)) throw new CliError("Missing field type or type empty");
  const type = String(item.type);
  if (!Object.hasOwn(FIELD_TYPES, type)) throw new CliError("Field type is not a valid type");
  if (!nonEmpty(item.name)) throw new CliError("Missing field name or empty name");
  if (!("value" in item)) throw new CliError("Missing field value");
  // Testmo crashes later on a non-string value (W25); we accept numbers and booleans as text.
  const value = item.value === null ? "" : String(item.value);
  if (type === "url" && !isLinkUrl(value)) throw new CliError("Field value is not a valid URL");
  return { type: type as FieldTypeName, name: String(item.name), value };
}

function validateLink(item: Record<string, unknown>): ResourceLink {
  if (!nonEmpty(item.name)) throw new CliError("Missing link name or empty name");
  if (!nonEmpty(item.url)) throw new CliError("Missing link URL or empty URL");
  if (!isLinkUrl(String(item.url))) throw new CliError("Link URL is not a valid URL");
  const link: ResourceLink = { name: String(item.name), url: String(item.url) };
  if (typeof item.note === "string" && item.note !== "") link.note = item.note;
  return link;
}

function validateArtifact(item: Record<string, unknown>): ResourceArtifact {
  if (!nonEmpty(item.name)) throw new CliError("Missing artifact name or empty name");
  if (!nonEmpty(item.url)) throw new CliError("Missing artifact URL or empty URL");
  if (!isLinkUrl(String(item.url))) throw new CliError("Artifact URL is not a valid URL");
  const artifact: ResourceArtifact = { name: String(item.name), url: String(item.url) };
  if (nonEmpty(item.note)) artifact.note = String(item.note);
  if (nonEmpty(item.mimeType)) {
    if (!MIME_TYPE_PATTERN.test(String(item.mimeType)))
      throw new CliError("Artifact mime type is not a valid mime type");
    artifact.mimeType = String(item.mimeType);
  }
  if (item.size !== undefined && item.size !== null) {
    if (!Number.isInteger(Number(item.size)) || String(item.size).trim() === "") {
      throw new CliError("Artifact size is not a valid number");
    }
    artifact.size = Number(item.size);
  }
  return artifact;
}

// ---------------------------------------------------------------- mapping to the API (§6.2)

export function toWireField(field: ResourceField): CreateAutomationField {
  const value =
    field.type === "text" || field.type === "console"
      ? truncateText(field.value)
      : field.type === "html"
        ? truncateHtml(field.value)
        : truncateString(field.value);
  return { type: FIELD_TYPES[field.type], name: truncateString(field.name), value };
}

export function toWireLink(link: ResourceLink): CreateAutomationLink {
  const wire: CreateAutomationLink = { name: truncateString(link.name), url: truncateString(link.url) };
  if (link.note) wire.note = truncateString(link.note, NOTE_LIMIT);
  return wire;
}

export function toWireArtifact(artifact: ResourceArtifact): CreateAutomationArtifact {
  const wire: CreateAutomationArtifact = { name: truncateString(artifact.name), url: truncateString(artifact.url) };
  if (artifact.note) wire.note = truncateString(artifact.note, NOTE_LIMIT);
  if (artifact.mimeType) wire.mime_type = truncateString(artifact.mimeType);
  if (artifact.size !== undefined) wire.size = artifact.size;
  return wire;
}

export interface WireResources {
  fields: CreateAutomationField[];
  links: CreateAutomationLink[];
  artifacts: CreateAutomationArtifact[];
}

export function toWireResources(resources: Resources): WireResources {
  return {
    fields: resources.fields.map(toWireField),
    links: resources.links.map(toWireLink),
    artifacts: resources.artifacts.map(toWireArtifact),
  };
}
