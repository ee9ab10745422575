// A QR matrix as a PNG, written here with node:zlib (deflate and CRC-32): one-bit greyscale,
// a few hundred bytes to a few KB. The `qrcode` package's own PNG renderer brings pngjs, about
// 60 KB more in the route's bundle (README, "Cold starts").
import { crc32, deflateSync } from 'node:zlib';
import { layout, type QrMatrix } from './matrix.js';

const signature = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A `tEXt` chunk: a Latin-1 keyword (1–79 characters), a zero byte, Latin-1 text. */
function textChunk(keyword: string, text: string): Buffer {
  return chunk('tEXt', Buffer.from(`${keyword}\0${text}`, 'latin1'));
}

/**
 * The matrix in a PNG of `size` × `size` pixels (see `layout`), black on white, with `text` as
 * `tEXt` chunks (keyword → value, Latin-1).
 */
export function pngOf(matrix: QrMatrix, size: number, text: Record<string, string> = {}): Uint8Array {
  const { side, scale, offset } = layout(matrix, size);
  const rowBytes = Math.ceil(side / 8);
  const stride = rowBytes + 1; // each row starts with its filter type (0: none)
  const raw = Buffer.alloc(stride * side);
  // A one-bit greyscale pixel is 1 for white: start all white, clear the dark modules' bits.
  const white = Buffer.alloc(rowBytes, 0xff);
  if (side % 8 !== 0) white[rowBytes - 1] = (0xff << (8 - (side % 8))) & 0xff;
  for (let y = 0; y < side; y += 1) white.copy(raw, y * stride + 1);
  for (let row = 0; row < matrix.size; row += 1) {
    const first = offset + row * scale;
    const line = raw.subarray(first * stride, (first + 1) * stride);
    for (let col = 0; col < matrix.size; col += 1) {
      if (!matrix.dark(row, col)) continue;
      for (let x = offset + col * scale, end = x + scale; x < end; x += 1) line[1 + (x >> 3)]! &= ~(0x80 >> (x & 7));
    }
    for (let y = first + 1; y < first + scale; y += 1) line.copy(raw, y * stride);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filtering, no interlace
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    ...Object.entries(text).map(([keyword, value]) => textChunk(keyword, value)),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
