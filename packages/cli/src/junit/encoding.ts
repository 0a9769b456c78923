/**
 * Byte-to-text decoding. Testmo's CLI always reads UTF-8, so UTF-16 files are
 * skipped and Latin-1 turns into U+FFFD (W14). We follow XML 1.0 Appendix F:
 * a byte order mark wins, then the UTF-16 shape of `<?`, then the encoding
 * declaration, then UTF-8.
 */

import { StringDecoder } from "node:string_decoder";
import { TextDecoder } from "node:util";

/** Enough bytes for a BOM and an XML declaration with an encoding. */
export const ENCODING_SNIFF_BYTES = 1024;

export interface DetectedEncoding {
  /** WHATWG encoding name, as TextDecoder reports it. */
  encoding: string;
  /** Why this encoding was chosen, for warnings. */
  declared?: string;
  unsupportedDeclaration?: string;
}

export function detectEncoding(head: Uint8Array): DetectedEncoding {
  const [b0, b1, b2, b3] = head;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: "utf-8" };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: "utf-16le" };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: "utf-16be" };
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x3f && b3 === 0x00) return { encoding: "utf-16le" };
  if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00 && b3 === 0x3f) return { encoding: "utf-16be" };
  return fromDeclaration(head);
}

const ENCODING_DECLARATION = /^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/;

function fromDeclaration(head: Uint8Array): DetectedEncoding {
  const prolog = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, 256)).toString("latin1");
  const declared = ENCODING_DECLARATION.exec(prolog)?.[1];
  if (declared === undefined) return { encoding: "utf-8" };
  let encoding: string;
  try {
    encoding = new TextDecoder(declared).encoding;
  } catch {
    return { encoding: "utf-8", unsupportedDeclaration: declared };
  }
  // A UTF-16 declaration on bytes that are not UTF-16 shaped (checked above) is a lie: read UTF-8.
  if (encoding.startsWith("utf-16")) return { encoding: "utf-8" };
  return { encoding, declared };
}

/**
 * Decodes a byte stream into text chunks with a streaming TextDecoder, so a
 * multi-byte character split across chunks is decoded once, whole. The BOM is
 * dropped. `onEncoding` is told the encoding before the first chunk.
 */
export async function* decodeByteStream(
  chunks: AsyncIterable<Uint8Array | string>,
  onEncoding: (detected: DetectedEncoding) => void,
): AsyncGenerator<string, void, undefined> {
  let decoder: ChunkDecoder | undefined;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  for await (const chunk of chunks) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    if (decoder === undefined) {
      pending.push(bytes);
      pendingBytes += bytes.byteLength;
      if (pendingBytes < ENCODING_SNIFF_BYTES) continue;
      decoder = startDecoder(Buffer.concat(pending), onEncoding);
      const text = decoder.decode(Buffer.concat(pending), { stream: true });
      pending = [];
      if (text !== "") yield text;
      continue;
    }
    const text = decoder.decode(bytes, { stream: true });
    if (text !== "") yield text;
  }
  if (decoder === undefined) {
    const head = Buffer.concat(pending);
    decoder = startDecoder(head, onEncoding);
    const text = decoder.decode(head, { stream: true });
    if (text !== "") yield text;
  }
  const tail = decoder.decode();
  if (tail !== "") yield tail;
}

/** The part of TextDecoder the stream uses. */
interface ChunkDecoder {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}

/**
 * UTF-8 through Node's StringDecoder: same result as TextDecoder (U+FFFD for invalid bytes, a
 * character split across chunks decoded once), at a fraction of its cost per chunk. The BOM is
 * dropped here, as TextDecoder drops it.
 */
class Utf8Decoder implements ChunkDecoder {
  private readonly decoder = new StringDecoder("utf8");
  private started = false;

  decode(input?: Uint8Array, options: { stream?: boolean } = {}): string {
    let text =
      input === undefined ? "" : this.decoder.write(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
    if (!options.stream) text += this.decoder.end();
    if (!this.started && text !== "") {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }
}

function startDecoder(head: Uint8Array, onEncoding: (detected: DetectedEncoding) => void): ChunkDecoder {
  const detected = detectEncoding(head);
  onEncoding(detected);
  if (detected.encoding === "utf-8") return new Utf8Decoder();
  // fatal: false keeps Testmo's behaviour for invalid bytes (U+FFFD) instead of failing the file.
  return new TextDecoder(detected.encoding, { fatal: false, ignoreBOM: false });
}
