import type { RawProperty } from "./properties.js";
import type { JUnitAttachment, JUnitSource } from "./types.js";

/** What one `system-out` / `system-err` text yields once its marker lines are taken out. */
export interface ScannedOutput {
  /** Remaining lines joined with LF and trimmed; empty means no Output/Errors field. */
  text: string;
  attachments: JUnitAttachment[];
  properties: RawProperty[];
  /** Name of a `[[PROPERTY|name]]` block never closed: it swallowed the rest of the output. */
  unterminatedBlock?: string;
}

// Patterns of cli.md §5.7. Trailing whitespace after `]]` is tolerated (it is not "text").
const ATTACHMENT_LINE = /^\s*\[\[ATTACHMENT\|(.+?)\]\]/;
const SINGLE_PROPERTY_LINE = /^\s*\[\[PROPERTY\|([^=]*)=(.*)\]\]\s*$/;
const BLOCK_START_LINE = /^\s*\[\[PROPERTY\|([^=]*)\]\]\s*$/;
const BLOCK_END = "[[/PROPERTY]]";
const LINE_BREAK = /\r\n|\r|\n/;

export function scanOutput(output: string, source: JUnitSource): ScannedOutput {
  const result: ScannedOutput = { text: "", attachments: [], properties: [] };
  // Fast path for the common case: output without any marker.
  if (!output.includes("[[")) {
    result.text = (output.includes("\r") ? output.replace(/\r\n?/g, "\n") : output).trim();
    return result;
  }
  const kept: string[] = [];
  let block: { name: string; lines: string[] } | undefined;
  for (const line of output.split(LINE_BREAK)) {
    if (block) {
      if (line.includes(BLOCK_END)) {
        addProperty(result, source, block.name, block.lines.join("\n"), true);
        block = undefined;
      } else {
        block.lines.push(line);
      }
      continue;
    }
    const attachment = ATTACHMENT_LINE.exec(line);
    if (attachment) {
      const value = attachment[1]!.trim();
      if (value !== "") result.attachments.push({ source, name: "attachment", value });
      continue;
    }
    const single = SINGLE_PROPERTY_LINE.exec(line);
    if (single) {
      addProperty(result, source, single[1]!, single[2]!, false);
      continue;
    }
    const start = BLOCK_START_LINE.exec(line);
    if (start) {
      block = { name: start[1]!, lines: [] };
      continue;
    }
    kept.push(line);
  }
  if (block) result.unterminatedBlock = block.name.trim();
  result.text = kept.join("\n").trim();
  return result;
}

function addProperty(result: ScannedOutput, source: JUnitSource, name: string, value: string, multiLine: boolean) {
  const trimmedName = name.trim();
  const trimmedValue = value.trim();
  if (trimmedName === "" || trimmedValue === "") return;
  result.properties.push({ source, name: trimmedName, value: trimmedValue, multiLine });
}
