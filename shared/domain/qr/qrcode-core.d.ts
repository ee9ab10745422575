// Types for the one module of qrcode 1.5 the QR routes import: its core, which makes the matrix of
// modules (the package's renderers, with pngjs, would add ~60 KB to the route; see service.ts).
declare module 'qrcode/lib/core/qrcode.js' {
  export interface BitMatrix {
    /** modules per side */
    size: number;
    /** row-major, 1 for a dark module */
    data: Uint8Array;
    get(row: number, col: number): number;
  }
  export interface QRCodeSymbol {
    modules: BitMatrix;
    version: number;
    maskPattern: number;
  }
  export function create(data: string, options?: { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H'; version?: number; maskPattern?: number }): QRCodeSymbol;
}
