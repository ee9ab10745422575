// Reading the PDFs the print domain renders with Debian's poppler-utils (`pdftoppm`, `pdftotext`,
// `pdffonts`, `pdfimages`; `.ci/run` installs them): pages as pixels, the text back, the fonts and
// images embedded. A missing tool fails the test that needs it, saying what to install.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';

function withPdf<T>(pdf: Uint8Array, use: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'hw-pdf-'));
  try {
    const file = join(dir, 'in.pdf');
    writeFileSync(file, pdf);
    return use(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function poppler(tool: string, args: string[]): Buffer {
  try {
    return execFileSync(tool, args, { maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${tool} is missing: apt-get install -y poppler-utils`);
    throw error;
  }
}

export interface Raster {
  width: number;
  height: number;
  /** RGBA */
  data: Buffer;
  /** the PNG file as pdftoppm wrote it */
  png: Buffer;
  dpi: number;
}

/** One page (1-based) as pixels at `dpi`. */
export function rasterise(pdf: Uint8Array, page: number, dpi = 300): Raster {
  return withPdf(pdf, (file, dir) => {
    poppler('pdftoppm', ['-r', String(dpi), '-png', '-f', String(page), '-l', String(page), '-singlefile', file, join(dir, 'page')]);
    const png = readFileSync(join(dir, 'page.png'));
    const image = PNG.sync.read(png);
    return { width: image.width, height: image.height, data: image.data, png, dpi };
  });
}

/** One page as a JPEG, for a photo that is really a JPEG. */
export function jpegOf(pdf: Uint8Array, dpi: number): Buffer {
  return withPdf(pdf, (file, dir) => {
    poppler('pdftoppm', ['-r', String(dpi), '-jpeg', '-f', '1', '-l', '1', '-singlefile', file, join(dir, 'page')]);
    return readFileSync(join(dir, 'page.jpg'));
  });
}

/** The text of every page; pages are separated by form feeds. `layout`: as laid out on the page (pdftotext -layout), so a table's row stays on one line. */
export function pdfText(pdf: Uint8Array, options: { layout?: boolean } = {}): string {
  return withPdf(pdf, (file) => poppler('pdftotext', ['-enc', 'UTF-8', ...(options.layout ? ['-layout'] : []), file, '-']).toString('utf8'));
}

export const pageCount = (pdf: Uint8Array): number => pdfText(pdf).split('\f').length - 1;

/** `pdffonts`' table: one row per font, with its name, type and whether it is embedded and subset. */
export function pdfFonts(pdf: Uint8Array): { name: string; type: string; embedded: boolean; subset: boolean }[] {
  const lines = withPdf(pdf, (file) => poppler('pdffonts', [file]).toString('utf8')).split('\n').slice(2).filter((line) => line.trim() !== '');
  return lines.map((line) => {
    const [name = '', ...rest] = line.trim().split(/\s+/);
    // columns after the name: type (one or two words), encoding, emb, sub, uni, object, id
    const [emb, sub] = rest.slice(-5, -3);
    return { name, type: rest.slice(0, -6).join(' '), embedded: emb === 'yes', subset: sub === 'yes' };
  });
}

/** `pdfimages -list`: each image drawn, on which page, its size in pixels and how it is stored (`jpeg`, `image` for Flate). */
export function pdfImages(pdf: Uint8Array): { page: number; type: string; width: number; height: number; encoding: string }[] {
  const lines = withPdf(pdf, (file) => poppler('pdfimages', ['-list', file]).toString('utf8')).split('\n').slice(2).filter((line) => line.trim() !== '');
  return lines.map((line) => {
    const [page, , type = '', width, height, , , , encoding = ''] = line.trim().split(/\s+/);
    return { page: Number(page), type, width: Number(width), height: Number(height), encoding };
  });
}

/** Whether the pixel is dark enough to be ink (anti-aliased edges included). */
export const isInk = (raster: Raster, x: number, y: number, threshold = 200): boolean => {
  const at = (y * raster.width + x) * 4;
  return Math.min(raster.data[at]!, raster.data[at + 1]!, raster.data[at + 2]!) < threshold;
};

/** Pixels of a region (in points) of the raster, for jsQR. */
export function crop(raster: Raster, box: { x: number; y: number; width: number; height: number }): { data: Uint8ClampedArray; width: number; height: number } {
  const scale = raster.dpi / 72;
  const left = Math.max(0, Math.floor(box.x * scale));
  const top = Math.max(0, Math.floor(box.y * scale));
  const width = Math.min(raster.width, Math.ceil((box.x + box.width) * scale)) - left;
  const height = Math.min(raster.height, Math.ceil((box.y + box.height) * scale)) - top;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let row = 0; row < height; row += 1) {
    const from = ((top + row) * raster.width + left) * 4;
    data.set(raster.data.subarray(from, from + width * 4), row * width * 4);
  }
  return { data, width, height };
}
