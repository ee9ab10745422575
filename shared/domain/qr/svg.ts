// A QR matrix as SVG: every dark module in one <path> (runs of a row merged), on a white
// background, with a caption under the quiet zone (the short code, for a person to type).
import { quietZone, type QrMatrix } from './matrix.js';

const escape = (text: string) => text.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);

/** Module units under the quiet zone kept for the caption. */
const captionBand = 6;

/**
 * The path data: `M<x> <y>h<run>v1h-<run>z` for each run of dark modules in a row, in module
 * units with the quiet zone included (so the code starts at 4,4).
 */
export function pathOf(matrix: QrMatrix): string {
  const parts: string[] = [];
  for (let row = 0; row < matrix.size; row += 1) {
    for (let col = 0; col < matrix.size; col += 1) {
      if (!matrix.dark(row, col)) continue;
      const start = col;
      while (col + 1 < matrix.size && matrix.dark(row, col + 1)) col += 1;
      const run = col - start + 1;
      parts.push(`M${start + quietZone} ${row + quietZone}h${run}v1h-${run}z`);
    }
  }
  return parts.join('');
}

/**
 * The matrix as an SVG document `size` pixels wide (the height adds the caption band), scalable
 * without loss: `crispEdges` keeps module edges sharp at any size.
 */
export function svgOf(matrix: QrMatrix, size: number, caption: string): string {
  const side = matrix.size + 2 * quietZone;
  const height = side + (caption ? captionBand : 0);
  const label = escape(caption);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${Math.round((size * height) / side)}" viewBox="0 0 ${side} ${height}" role="img" aria-label="QR code ${label}">`,
    `<rect width="${side}" height="${height}" fill="#fff"/>`,
    `<path fill="#000" shape-rendering="crispEdges" d="${pathOf(matrix)}"/>`,
    ...(caption
      ? [`<text x="${side / 2}" y="${side + 4}" text-anchor="middle" font-family="ui-monospace,Menlo,Consolas,'DejaVu Sans Mono',monospace" font-size="4.5" font-weight="700" letter-spacing="0.5" fill="#000">${label}</text>`]
      : []),
    '</svg>',
  ].join('');
}
