import { crc32, inflateRawSync } from 'node:zlib';
import { TaskTrackerError } from '@tasktracker/core';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const END_OF_DIRECTORY = 0x06054b50;

const corrupt = (file: string, why: string) =>
  new TaskTrackerError('VALIDATION_ERROR', `${file} is not a handler zip: ${why}`);

/**
 * The files of a handler zip, read back (the SAM template points at unzipped bundle folders). It reads
 * what zipFiles writes: deflate or stored entries, no zip64, no encryption; every entry's CRC is checked,
 * and a name that would leave the folder it is unpacked into is refused.
 */
export function unzipFiles(zip: Buffer, file = 'zip'): ZipEntry[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || zip.readUInt32LE(end) !== END_OF_DIRECTORY)
    throw corrupt(file, 'no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    if (zip.readUInt32LE(offset) !== CENTRAL_HEADER) throw corrupt(file, `bad central header ${index}`);
    const method = zip.readUInt16LE(offset + 10);
    const checksum = zip.readUInt32LE(offset + 16);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;

    if (name.startsWith('/') || name.split('/').includes('..'))
      throw corrupt(file, `unsafe entry name ${name}`);
    if (zip.readUInt32LE(localOffset) !== LOCAL_HEADER) throw corrupt(file, `bad local header for ${name}`);
    const dataStart =
      localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    if (method !== 8 && method !== 0) throw corrupt(file, `${name} uses compression method ${method}`);
    let data: Buffer;
    try {
      data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    } catch (error) {
      throw corrupt(file, `${name} does not inflate (${(error as Error).message})`);
    }
    if (crc32(data) !== checksum) throw corrupt(file, `${name} fails its CRC check`);
    entries.push({ name, data });
  }
  return entries;
}
