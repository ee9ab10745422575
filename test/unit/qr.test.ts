// The QR renderers written here instead of the qrcode package's own (README, "Cold starts"): the
// PNG is a valid PNG (pngjs reads it, every chunk's CRC holds) that jsQR decodes back to the text,
// at every size and for short and long texts; the layout keeps a whole number of pixels per
// module and the quiet zone; the SVG path covers exactly the dark modules.
import { crc32 } from 'node:zlib';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { layout, qrMatrix, quietZone } from '../../shared/domain/qr/matrix.js';
import { pngOf } from '../../shared/domain/qr/png.js';
import { pathOf, svgOf } from '../../shared/domain/qr/svg.js';

const jsQR = jsqr.default;

const link = 'https://app.example.com/w/0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa/s/K7QX4M2P';

function read(png: Uint8Array) {
  const image = PNG.sync.read(Buffer.from(png));
  return { ...image, text: jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data };
}

describe('pngOf', () => {
  it('makes a PNG of size × size pixels that decodes to the text, for every size and short and long texts', () => {
    for (const text of ['A', link, `${link}?${'x'.repeat(200)}`]) {
      const matrix = qrMatrix(text);
      for (const size of [64, 97, 256, 333, 1024]) {
        const image = read(pngOf(matrix, size));
        expect({ width: image.width, height: image.height }, `${text.length} characters at ${size}`).toEqual({ width: Math.max(size, matrix.size + 8), height: Math.max(size, matrix.size + 8) });
        expect(image.text, `${text.length} characters at ${size}`).toBe(text);
      }
    }
  });

  it('writes only well-formed chunks (IHDR first, IEND last, CRCs right), one-bit greyscale, and tEXt chunks as given', () => {
    const png = Buffer.from(pngOf(qrMatrix(link), 256, { 'Short code': 'K7QX4M2P' }));
    const chunks: { type: string; data: Buffer }[] = [];
    for (let at = 8; at < png.length;) {
      const length = png.readUInt32BE(at);
      const type = png.toString('latin1', at + 4, at + 8);
      expect(png.readUInt32BE(at + 8 + length), type).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
      chunks.push({ type, data: png.subarray(at + 8, at + 8 + length) });
      at += 12 + length;
    }
    expect(chunks.map((chunk) => chunk.type)).toEqual(['IHDR', 'tEXt', 'IDAT', 'IEND']);
    expect([...chunks[0]!.data.subarray(8)]).toEqual([1, 0, 0, 0, 0]);
    expect(chunks[1]!.data.toString('latin1')).toBe('Short code\0K7QX4M2P');
    expect(png.length).toBeLessThan(2_000);
  });

  it('draws the quiet zone white and each module as a square of whole pixels', () => {
    const matrix = qrMatrix(link);
    const size = 300;
    const { scale, offset } = layout(matrix, size);
    expect(scale).toBe(Math.floor(size / (matrix.size + 2 * quietZone)));
    const image = read(pngOf(matrix, size));
    const dark = (x: number, y: number) => image.data[(y * image.width + x) * 4] === 0;
    for (let y = 0; y < size; y += 1) {
      for (let x = 0; x < size; x += 1) {
        const row = Math.floor((y - offset) / scale);
        const col = Math.floor((x - offset) / scale);
        const inside = y >= offset && x >= offset && row < matrix.size && col < matrix.size;
        if (dark(x, y) !== (inside && matrix.dark(row, col))) throw new Error(`pixel ${x},${y} is wrong`);
      }
    }
  });
});

describe('svgOf', () => {
  it('covers exactly the dark modules with its one path, offset by the quiet zone', () => {
    const matrix = qrMatrix(link);
    const covered = new Set<string>();
    for (const [, x, y, run] of pathOf(matrix).matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
      for (let col = Number(x); col < Number(x) + Number(run); col += 1) covered.add(`${Number(y) - quietZone},${col - quietZone}`);
    }
    const dark = new Set<string>();
    for (let row = 0; row < matrix.size; row += 1) for (let col = 0; col < matrix.size; col += 1) if (matrix.dark(row, col)) dark.add(`${row},${col}`);
    expect(covered).toEqual(dark);
  });

  it('is size pixels wide, taller by the caption band, and escapes the caption', () => {
    const matrix = qrMatrix(link);
    const svg = svgOf(matrix, 200, 'A<&>"B');
    const side = matrix.size + 2 * quietZone;
    expect(svg).toContain(`width="200" height="${Math.round((200 * (side + 6)) / side)}" viewBox="0 0 ${side} ${side + 6}"`);
    expect(svg).toContain('>A&#60;&#38;&#62;&#34;B</text>');
    expect(svg.match(/<path /g)).toHaveLength(1);
  });
});
