import { readFile, writeFile } from 'node:fs/promises';
import { crc32, inflateRawSync } from 'node:zlib';

/**
 * A copy of a jar whose manifest has no Class-Path, for class-data sharing. DynamoDBLocal.jar's
 * manifest lists `.` (its own, non-empty directory) and the native libraries beside the jars, and the
 * JVM refuses to archive app classes behind a non-empty directory or a non-jar file on the class path.
 * The engine is then launched with the copy and the manifest's jars on an explicit -cp, in the
 * manifest's order, so classes resolve exactly as with `-jar`.
 *
 * Plain zip surgery (no zip64, which a 10 MB jar never needs): every entry is copied byte for byte
 * except META-INF/MANIFEST.MF, which is written back stored, without its Class-Path attribute.
 */

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const MANIFEST = 'META-INF/MANIFEST.MF';

export class JarFormatError extends Error {
  override readonly name = 'JarFormatError';
}

interface CentralEntry {
  name: string;
  /** The central directory record, as read. */
  record: Buffer;
  localOffset: number;
  method: number;
  compressedSize: number;
}

function endOfCentralDirectory(jar: Buffer): { offset: number; size: number; count: number; at: number } {
  // The record is 22 bytes plus a comment of at most 64 KB, at the very end.
  for (let at = jar.length - 22; at >= Math.max(0, jar.length - 22 - 0xffff); at--) {
    if (jar.readUInt32LE(at) !== END_OF_CENTRAL_DIRECTORY) continue;
    const count = jar.readUInt16LE(at + 10);
    const size = jar.readUInt32LE(at + 12);
    const offset = jar.readUInt32LE(at + 16);
    if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
      throw new JarFormatError('zip64 jars are not supported');
    }
    return { offset, size, count, at };
  }
  throw new JarFormatError('no end of central directory record');
}

function centralEntries(jar: Buffer, start: number, count: number): CentralEntry[] {
  const entries: CentralEntry[] = [];
  let at = start;
  for (let i = 0; i < count; i++) {
    if (jar.readUInt32LE(at) !== CENTRAL_HEADER) throw new JarFormatError(`bad central header at ${at}`);
    const nameLength = jar.readUInt16LE(at + 28);
    const length = 46 + nameLength + jar.readUInt16LE(at + 30) + jar.readUInt16LE(at + 32);
    entries.push({
      name: jar.toString('utf8', at + 46, at + 46 + nameLength),
      record: jar.subarray(at, at + length),
      localOffset: jar.readUInt32LE(at + 42),
      method: jar.readUInt16LE(at + 10),
      compressedSize: jar.readUInt32LE(at + 20),
    });
    at += length;
  }
  return entries;
}

/** The main section's Class-Path entries, and the manifest without that attribute. */
export function splitClassPath(manifest: string): { classPath: string[]; rest: string } {
  const lines = manifest.split(/\r?\n/);
  const kept: string[] = [];
  let classPath = '';
  let inClassPath = false;
  let inMainSection = true;
  for (const line of lines) {
    if (line === '') inMainSection = false;
    if (inMainSection && /^class-path:/i.test(line)) {
      inClassPath = true;
      classPath = line.slice('Class-Path:'.length);
      continue;
    }
    // A continuation line starts with one space and goes on the value of the line before it.
    if (inClassPath && line.startsWith(' ')) {
      classPath += line.slice(1);
      continue;
    }
    inClassPath = false;
    kept.push(line);
  }
  return { classPath: classPath.split(' ').filter(Boolean), rest: kept.join('\r\n') };
}

/** Writes `destination`, a copy of `source` without the manifest's Class-Path; returns those entries. */
export async function copyJarWithoutClassPath(source: string, destination: string): Promise<string[]> {
  const jar = await readFile(source);
  const end = endOfCentralDirectory(jar);
  const entries = centralEntries(jar, end.offset, end.count);
  const byOffset = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  const nextOffset = new Map(
    byOffset.map((entry, i) => [entry, byOffset[i + 1]?.localOffset ?? end.offset] as const),
  );

  let classPath: string[] = [];
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let written = 0;
  for (const entry of entries) {
    const offset = written;
    const record = Buffer.from(entry.record);
    if (entry.name === MANIFEST) {
      const at = entry.localOffset;
      if (jar.readUInt32LE(at) !== LOCAL_HEADER) throw new JarFormatError('bad manifest header');
      const dataStart = at + 30 + jar.readUInt16LE(at + 26) + jar.readUInt16LE(at + 28);
      const stored = jar.subarray(dataStart, dataStart + entry.compressedSize);
      const text = (entry.method === 8 ? inflateRawSync(stored) : stored).toString('utf8');
      const split = splitClassPath(text);
      classPath = split.classPath;
      const data = Buffer.from(split.rest, 'utf8');
      const name = Buffer.from(MANIFEST, 'utf8');
      const header = Buffer.alloc(30);
      header.writeUInt32LE(LOCAL_HEADER, 0);
      header.writeUInt16LE(10, 4); // version needed: 1.0
      header.writeUInt16LE(0, 6); // no data descriptor: sizes and CRC are in the header
      header.writeUInt16LE(0, 8); // stored
      jar.copy(header, 10, at + 10, at + 14); // modification time and date, as they were
      header.writeUInt32LE(crc32(data), 14);
      header.writeUInt32LE(data.length, 18);
      header.writeUInt32LE(data.length, 22);
      header.writeUInt16LE(name.length, 26);
      header.writeUInt16LE(0, 28);
      parts.push(header, name, data);
      written += header.length + name.length + data.length;
      record.writeUInt16LE(0, 8);
      record.writeUInt16LE(0, 10);
      record.writeUInt32LE(crc32(data), 16);
      record.writeUInt32LE(data.length, 20);
      record.writeUInt32LE(data.length, 24);
    } else {
      const segment = jar.subarray(entry.localOffset, nextOffset.get(entry));
      parts.push(segment);
      written += segment.length;
    }
    record.writeUInt32LE(offset, 42);
    central.push(record);
  }
  const centralStart = written;
  const centralSize = central.reduce((sum, record) => sum + record.length, 0);
  const eocd = Buffer.from(jar.subarray(end.at));
  eocd.writeUInt32LE(centralSize, 12);
  eocd.writeUInt32LE(centralStart, 16);
  await writeFile(destination, Buffer.concat([...parts, ...central, eocd]));
  return classPath;
}
