import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";

/**
 * A gzip-compressed POSIX tar (ustar) archive, written and read as streams so a
 * backup of any size runs in constant memory. Plain tar on purpose: `tar -tzf`
 * lists a backup and `tar -xzf` unpacks it without Assay.
 */
const BLOCK = 512;

export interface ArchiveEntry {
  /** path inside the archive, with `/` separators */
  name: string;
  /** the file on disk to copy in */
  file: string;
}

export class ArchiveError extends Error {}

/** Writes the entries, in order, to `target` (through a temporary file renamed at the end). */
export async function writeArchive(target: string, entries: readonly ArchiveEntry[]): Promise<void> {
  const partial = `${target}.partial`;
  try {
    await pipeline(archiveBlocks(entries), zlib.createGzip({ level: 6 }), fs.createWriteStream(partial));
    await fs.promises.rename(partial, target);
  } catch (error) {
    await fs.promises.rm(partial, { force: true });
    throw error;
  }
}

async function* archiveBlocks(entries: readonly ArchiveEntry[]): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    // Opened first: a file removed since it was listed (its row deleted meanwhile) is left out;
    // once open, it reads to the end even if it is removed now.
    const handle = await fs.promises.open(entry.file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return null;
      throw error;
    });
    if (!handle) continue;
    const { size } = await handle.stat();
    yield header(entry.name, size);
    let written = 0;
    // Exactly `size` bytes even if the file changed meanwhile: the header already promised that many.
    for await (const chunk of handle.createReadStream({ start: 0, end: Math.max(0, size - 1) })) {
      const part = (chunk as Buffer).subarray(0, size - written);
      written += part.length;
      if (part.length > 0) yield part;
    }
    if (written < size) throw new ArchiveError(`${entry.file} shrank while it was being copied.`);
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (padding) yield Buffer.alloc(padding);
  }
  yield Buffer.alloc(BLOCK * 2);
}

function header(name: string, size: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const [prefix, base] = splitName(name);
  block.write(base, 0, 100, "utf8");
  block.write("0000644\0", 100, "ascii");
  block.write("0000000\0", 108, "ascii");
  block.write("0000000\0", 116, "ascii");
  block.write(`${size.toString(8).padStart(11, "0")}\0`, 124, "ascii");
  block.write(
    `${Math.floor(Date.now() / 1000)
      .toString(8)
      .padStart(11, "0")}\0`,
    136,
    "ascii",
  );
  block.write("        ", 148, "ascii");
  block.write("0", 156, "ascii");
  block.write("ustar\0" + "00", 257, "ascii");
  block.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  return block;
}

/** ustar keeps up to 100 bytes of name plus a 155-byte directory prefix. */
function splitName(name: string): [string, string] {
  if (Buffer.byteLength(name) <= 100) return ["", name];
  const cut = name.lastIndexOf("/", 155);
  const prefix = name.slice(0, cut);
  const base = name.slice(cut + 1);
  if (cut < 0 || Buffer.byteLength(prefix) > 155 || Buffer.byteLength(base) > 100) {
    throw new ArchiveError(`The path ${name} is too long for a tar archive.`);
  }
  return [prefix, base];
}

/**
 * Unpacks an archive written by writeArchive into `dir`, calling `accept` with
 * each entry's name first (it throws to reject one). Only plain files, only
 * below `dir`: names with `..` or absolute paths are refused.
 */
export async function readArchive(
  source: string,
  dir: string,
  accept: (name: string, index: number) => void,
): Promise<number> {
  let count = 0;
  let pending: Buffer = Buffer.alloc(0);
  let file: { out: fs.WriteStream; remaining: number; padding: number } | null = null;
  let ended = false;
  const input = fs.createReadStream(source).pipe(zlib.createGunzip());
  for await (const chunk of input) {
    pending = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
    while (!ended) {
      if (file) {
        if (file.remaining > 0) {
          if (pending.length === 0) break;
          const part = pending.subarray(0, file.remaining);
          pending = pending.subarray(part.length);
          file.remaining -= part.length;
          if (!file.out.write(part)) await new Promise<void>((resolve) => file!.out.once("drain", () => resolve()));
          if (file.remaining > 0) continue;
        }
        if (pending.length < file.padding) break;
        pending = pending.subarray(file.padding);
        await closeStream(file.out);
        file = null;
        continue;
      }
      if (pending.length < BLOCK) break;
      const block = pending.subarray(0, BLOCK);
      pending = pending.subarray(BLOCK);
      if (block.every((byte) => byte === 0)) {
        ended = true;
        break;
      }
      const entry = parseHeader(block);
      accept(entry.name, count++);
      const target = path.resolve(dir, entry.name);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      file = {
        out: fs.createWriteStream(target),
        remaining: entry.size,
        padding: (BLOCK - (entry.size % BLOCK)) % BLOCK,
      };
    }
  }
  if (file || !ended) throw new ArchiveError(`${source} ends early: the backup is incomplete.`);
  return count;
}

function parseHeader(block: Buffer): { name: string; size: number } {
  const field = (start: number, length: number) => block.toString("utf8", start, start + length).replace(/\0.*$/s, "");
  if (field(257, 5) !== "ustar") throw new ArchiveError("Not an Assay backup (not a tar archive).");
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  if (Number.parseInt(field(148, 8).trim(), 8) !== sum) throw new ArchiveError("The backup is damaged (bad checksum).");
  const type = field(156, 1);
  if (type !== "0" && type !== "") throw new ArchiveError("The backup holds something other than plain files.");
  const prefix = field(345, 155);
  const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
  if (path.isAbsolute(name) || name.split("/").includes("..") || name === "") {
    throw new ArchiveError(`The backup holds an unsafe path (${name}).`);
  }
  return { name, size: Number.parseInt(field(124, 12).trim(), 8) };
}

function closeStream(out: fs.WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    out.once("error", reject);
    out.end(resolve);
  });
}
