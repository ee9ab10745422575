// Stands in for `brotli/decompress.js` in Lambda bundles (infra/bundle.ts): fontkit (under pdfkit)
// needs it only to read WOFF2 fonts, and the PDFs here embed TrueType files
// (shared/domain/print/fonts.ts). The real module is ~480 KB of the bundle.
export default function decompress() {
  throw new Error('WOFF2 fonts are not supported in this bundle (brotli is left out: infra/bundle.ts)');
}
