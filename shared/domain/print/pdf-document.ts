// A pdfkit document as both renderers start it: fonts registered under their names, the same
// bytes for the same input (a fixed creation date instead of the clock, so a retried job writes
// the same file and tests can compare), and the finished file as bytes.
import PDFDocument from 'pdfkit';
import { fontBytes, type FontName } from './fonts.js';

export interface PdfOptions {
  title: string;
  createdAt: Date;
  /** of the first page; later pages pass their own */
  size: [number, number];
  /** keeps every page open until the end, for page numbers that need the page count */
  bufferPages?: boolean;
}

export interface Pdf {
  doc: PDFKit.PDFDocument;
  /** ends the document: its bytes */
  finish(): Promise<Uint8Array>;
}

export function createPdf({ title, createdAt, size, bufferPages = false }: PdfOptions): Pdf {
  const doc = new PDFDocument({
    size,
    margin: 0,
    bufferPages,
    // no default font: pdfkit would load Helvetica's metrics from a module a bundle lacks
    font: '',
    info: { Title: title, Creator: 'Home Warehouse', Producer: 'Home Warehouse', CreationDate: createdAt, ModDate: createdAt },
  });
  const fonts = fontBytes();
  for (const name of Object.keys(fonts) as FontName[]) doc.registerFont(name, fonts[name]);
  doc.font('regular');
  const chunks: Buffer[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, finish: () => { doc.end(); return done; } };
}

/** Measures text as `doc` would draw it. */
export function textMeasure(doc: PDFKit.PDFDocument) {
  return {
    width: (text: string, font: FontName, size: number): number => doc.font(font).fontSize(size).widthOfString(text),
    /** ascender to descender: the height a line of text takes, without extra leading */
    lineHeight: (font: FontName, size: number): number => doc.font(font).fontSize(size).currentLineHeight(false),
  };
}
export type TextMeasure = ReturnType<typeof textMeasure>;
