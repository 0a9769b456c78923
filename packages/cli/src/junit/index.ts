/**
 * JUnit XML reading for the `assay` CLI: streaming, Testmo-compatible.
 *
 *   const detection = await detectJUnitFile(path);          // skip or parse, as Testmo decides
 *   const parse = parseJUnitFile(path);
 *   for await (const test of parse) batch.push(toWireTest(rewrite(test)));
 *   parse.summary.elapsed;                                     // file elapsed, µs
 */
export {
  DETECTION_WINDOW_BYTES,
  detectJUnitFile,
  hasJUnitExtension,
  JUNIT_EXTENSIONS,
  type JUnitDetection,
  looksLikeJUnit,
} from "./detect.js";
export { JUnitParseError } from "./errors.js";
export { mimeTypeFor } from "./mime.js";
export {
  type JUnitParse,
  type ParseFileOptions,
  type ParseStreamOptions,
  parseJUnitFile,
  parseJUnitStream,
  summarizeJUnitFile,
} from "./parse.js";
export type {
  JUnitAttachment,
  JUnitField,
  JUnitFieldType,
  JUnitFileSummary,
  JUnitSource,
  JUnitStep,
  JUnitTest,
} from "./types.js";
export { parseSecondsToMicros } from "./values.js";
export {
  cutFieldValue,
  cutNote,
  cutString,
  elideMiddle,
  FOLDER_FALLBACK,
  hashTestKey,
  toWireField,
  toWireTest,
  WIRE_LIMITS,
} from "./wire.js";
