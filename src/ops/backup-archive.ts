// The backup file: a plain POSIX tar (ustar) holding `manifest.json` first, then the database
// dump it describes. Plain tar so an operator can still `tar xf` it and use pg_restore by hand.
// Files are copied in chunks: a dump may be larger than what fits in memory.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

const BLOCK = 512;
const CHUNK = 1 << 20;
/** ustar's 11 octal digits of size. */
const MAX_ENTRY_BYTES = 8 ** 11 - 1;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, size: number, mtime: Date): Buffer {
  if (Buffer.byteLength(name) > 99 || !/^[A-Za-z0-9._-]+$/.test(name))
    throw new Error(`bad archive entry name ${name}`);
  if (size > MAX_ENTRY_BYTES) throw new Error(`archive entry ${name} is too large for ustar`);
  const h = Buffer.alloc(BLOCK, 0);
  h.write(name, 0, 'utf8');
  h.write(octal(0o600, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii'); // checksum is computed with its own field as spaces
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

export type ArchiveSource = { name: string; bytes: Buffer } | { name: string; file: string };

/** Writes `entries` as a tar to the open descriptor `fd`. */
export function writeArchive(fd: number, entries: ArchiveSource[], mtime: Date): void {
  for (const e of entries) {
    if ('bytes' in e) {
      writeSync(fd, header(e.name, e.bytes.length, mtime));
      writeSync(fd, e.bytes);
      pad(fd, e.bytes.length);
      continue;
    }
    const src = openSync(e.file, 'r');
    try {
      const size = fstatSync(src).size;
      writeSync(fd, header(e.name, size, mtime));
      const buf = Buffer.allocUnsafe(CHUNK);
      let copied = 0;
      while (copied < size) {
        const n = readSync(src, buf, 0, Math.min(CHUNK, size - copied), copied);
        if (n === 0) throw new Error(`${e.file} shrank while being archived`);
        writeSync(fd, buf, 0, n);
        copied += n;
      }
      pad(fd, size);
    } finally {
      closeSync(src);
    }
  }
  writeSync(fd, Buffer.alloc(BLOCK * 2, 0)); // end-of-archive marker
}

function pad(fd: number, size: number): void {
  const rest = size % BLOCK;
  if (rest) writeSync(fd, Buffer.alloc(BLOCK - rest, 0));
}

export interface ArchiveEntry {
  name: string;
  offset: number;
  size: number;
}

/** Lists the entries of a tar file (regular files only). Throws on anything that is not ours. */
export function listArchive(file: string): ArchiveEntry[] {
  const fd = openSync(file, 'r');
  try {
    const total = fstatSync(fd).size;
    const out: ArchiveEntry[] = [];
    const h = Buffer.alloc(BLOCK);
    let pos = 0;
    while (pos + BLOCK <= total) {
      readSync(fd, h, 0, BLOCK, pos);
      if (h.every((b) => b === 0)) return out;
      if (h.toString('ascii', 257, 262) !== 'ustar')
        throw new Error('not a backup archive (no ustar header)');
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
      if (sum !== parseInt(h.toString('ascii', 148, 156).replace(/[\0 ]/g, ''), 8))
        throw new Error('corrupt backup archive (header checksum)');
      const name = h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
      const size = parseInt(h.toString('ascii', 124, 136).replace(/[\0 ]/g, ''), 8);
      if (!Number.isSafeInteger(size) || pos + BLOCK + size > total)
        throw new Error('corrupt backup archive (truncated)');
      out.push({ name, offset: pos + BLOCK, size });
      pos += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    }
    throw new Error('corrupt backup archive (no end marker: truncated?)');
  } finally {
    closeSync(fd);
  }
}

/** Reads one (small) entry into memory. */
export function readEntry(file: string, e: ArchiveEntry): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(e.size);
    readSync(fd, buf, 0, e.size, e.offset);
    return buf;
  } finally {
    closeSync(fd);
  }
}

/** Copies one entry to `dest` (created 0600) and returns its SHA-256 (hex). */
export function extractEntry(file: string, e: ArchiveEntry, dest: string): string {
  const src = openSync(file, 'r');
  const out = openSync(dest, 'wx', 0o600);
  try {
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(CHUNK);
    let done = 0;
    while (done < e.size) {
      const n = readSync(src, buf, 0, Math.min(CHUNK, e.size - done), e.offset + done);
      if (n === 0) throw new Error('corrupt backup archive (truncated)');
      hash.update(buf.subarray(0, n));
      writeSync(out, buf, 0, n);
      done += n;
    }
    return hash.digest('hex');
  } finally {
    closeSync(src);
    closeSync(out);
  }
}

/** SHA-256 (hex) of a file, read in chunks. */
export function sha256File(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(CHUNK);
    let pos = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, pos);
      if (n === 0) return hash.digest('hex');
      hash.update(buf.subarray(0, n));
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
}
