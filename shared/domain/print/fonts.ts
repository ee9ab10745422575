// The typeface every PDF here embeds: DejaVu Sans (regular and bold), which covers Latin, Greek
// and Cyrillic, so any name people type in those scripts prints. pdfkit embeds only the glyphs a
// document uses. The files come from the `dejavu-fonts-ttf` package and are read from disk, once
// per container, never fetched: a Lambda bundle must ship them where this resolution finds them
// (`node_modules/dejavu-fonts-ttf/ttf/` beside the bundle), since a bundler cannot inline them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export type FontName = 'regular' | 'bold';

export const fontFiles: Record<FontName, string> = {
  regular: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  bold: 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
};

const resolve = createRequire(import.meta.url).resolve;
let loaded: Record<FontName, Buffer> | undefined;

/** The bytes of each font, read on first use. */
export function fontBytes(): Record<FontName, Buffer> {
  loaded ??= { regular: readFileSync(resolve(fontFiles.regular)), bold: readFileSync(resolve(fontFiles.bold)) };
  return loaded;
}
