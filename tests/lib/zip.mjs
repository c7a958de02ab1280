/**
 * Reads a ZIP archive (stored entries, as fairdesk writes them; Zip64 end records too) into
 * `Map(name → Buffer)`, checking every entry's CRC-32 and sizes against the central directory.
 * Throws on anything malformed. Node 20+, no dependencies.
 *
 *   import { readZip, getZip } from '../lib/zip.mjs';
 *   const { status, entries } = await getZip(client, `/api/v1/clients/${id}/export`);
 *   const manifest = JSON.parse(entries.get('manifest.json'));
 */
import { crc32 } from 'node:zlib';

export function readZip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('no end of central directory');
  let count = buf.readUInt16LE(eocd + 10);
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdStart = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdStart === 0xffffffff) {
    const locator = eocd - 20;
    if (buf.readUInt32LE(locator) !== 0x07064b50) throw new Error('no zip64 locator');
    const record = Number(buf.readBigUInt64LE(locator + 8));
    if (buf.readUInt32LE(record) !== 0x06064b50) throw new Error('no zip64 end record');
    count = Number(buf.readBigUInt64LE(record + 32));
    cdSize = Number(buf.readBigUInt64LE(record + 40));
    cdStart = Number(buf.readBigUInt64LE(record + 48));
  }
  const entries = new Map();
  let at = cdStart;
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry ${n}`);
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    let size = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    let offset = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLength).toString(flags & 0x800 ? 'utf8' : 'latin1');
    let extra = at + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra < extraEnd) {
      const id = buf.readUInt16LE(extra);
      const len = buf.readUInt16LE(extra + 2);
      if (id === 1) {
        let p = extra + 4;
        if (size === 0xffffffff) { size = Number(buf.readBigUInt64LE(p)); p += 16; }
        if (offset === 0xffffffff) offset = Number(buf.readBigUInt64LE(p));
      }
      extra += 4 + len;
    }
    if (method !== 0) throw new Error(`${name}: compression method ${method}`);
    if (buf.readUInt32LE(offset) !== 0x04034b50) throw new Error(`${name}: no local header`);
    const localName = buf.readUInt16LE(offset + 26);
    const localExtra = buf.readUInt16LE(offset + 28);
    const start = offset + 30 + localName + localExtra;
    const data = buf.subarray(start, start + size);
    if (data.length !== size) throw new Error(`${name}: truncated`);
    if (crc32(data) !== crc) throw new Error(`${name}: CRC mismatch`);
    entries.set(name, data);
    at += 46 + nameLength + extraLength + commentLength;
  }
  if (at !== cdStart + cdSize) throw new Error('central directory size mismatch');
  return entries;
}

/** GET with the api client's cookies; resolves to { status, headers, entries } (entries: null unless 200). */
export async function getZip(client, path) {
  const headers = {};
  if (client.cookies.size) headers.Cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const response = await fetch(new URL(path, client.baseUrl), { headers });
  const buf = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, entries: response.status === 200 ? readZip(buf) : null, body: buf };
}
