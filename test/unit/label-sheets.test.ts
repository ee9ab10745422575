// Label sheets: the layouts' geometry against the makers' sheets, where startPosition and copies
// put labels, and rendered PDFs read back from pixels at 300 dpi: every QR code decodes to its
// label's text, nothing is inked outside the part of a label ink may take, names in Greek and
// Cyrillic come back out of the embedded font, and a 200-character name stays inside its label.
import { mkdirSync, writeFileSync } from 'node:fs';
import jsqr from 'jsqr';
import { describe, expect, it } from 'vitest';
import { quietZone } from '../../shared/domain/qr/matrix.js';
import { planLabel, type LabelContent, type LabelField } from '../../shared/domain/print/label-plan.js';
import { renderLabelSheet } from '../../shared/domain/print/label-sheet.js';
import { labelBox, labelLayoutIds, labelLayouts, labelsPerSheet, mm, placeLabels, printableBox, type Box, type LabelLayoutId } from '../../shared/domain/print/layouts.js';
import { createPdf, textMeasure } from '../../shared/domain/print/pdf-document.js';
import { ellipsize, wrapText } from '../../shared/domain/print/text-fit.js';
import { crop, isInk, pageCount, pdfFonts, pdfText, rasterise, type Raster } from '../support/pdf.js';

const jsQR = jsqr.default;
const artifacts = '/tmp/print-artifacts';
const layouts = labelLayoutIds.map((id) => labelLayouts[id]);
const link = (code: string) => `https://app.example.com/w/0193a5e2-7c1a-7b3e-9f00-aaaaaaaaaaaa/s/${code}`;
const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const codeOf = (index: number) => `K7QX${alphabet[Math.floor(index / 31)]}${alphabet[index % 31]}M2`;

const longName = `Box of Christmas decorations from grandma ${'and the old fairy lights that still work '.repeat(5)}`.slice(0, 200);
const unbrokenName = 'X'.repeat(200);
const greekName = 'Κουτί με χριστουγεννιάτικα στολίδια';
const cyrillicName = 'Ящик с инструментами';
const names = ['Cordless drill', longName, greekName, cyrillicName, unbrokenName, 'Winter tyres'];

function labelsFor(count: number): LabelContent[] {
  return Array.from({ length: count }, (_, index) => ({
    qrText: link(codeOf(index)),
    name: names[index % names.length]!,
    shortCode: codeOf(index),
    ...(index % 2 === 1 ? { parent: 'Garage › Shelf 3 › Top bin by the window' } : {}),
  }));
}

const inside = (inner: Box, outer: Box, tolerance = 1e-6) =>
  inner.x >= outer.x - tolerance && inner.y >= outer.y - tolerance
  && inner.x + inner.width <= outer.x + outer.width + tolerance && inner.y + inner.height <= outer.y + outer.height + tolerance;
const overlap = (a: Box, b: Box) => Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 1e-6 && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 1e-6;
const toMm = (points: number) => (points * 25.4) / 72;

describe('label layouts', () => {
  it('hold as many labels per sheet as the makers sell', () => {
    expect(Object.fromEntries(layouts.map((layout) => [layout.id, labelsPerSheet(layout)])))
      .toEqual({ AVERY_L7160: 21, AVERY_5160: 30, AVERY_L7651: 65, BROTHER_QL_62X29: 1 });
  });

  it('have the published label sizes and sheets', () => {
    const sizes = Object.fromEntries(layouts.map((layout) => [layout.id, [layout.page.width, layout.page.height, layout.label.width, layout.label.height].map((points) => Math.round(toMm(points) * 100) / 100)]));
    expect(sizes).toEqual({
      AVERY_L7160: [210, 297, 63.5, 38.1],
      AVERY_5160: [215.9, 279.4, 66.68, 25.4],
      AVERY_L7651: [210, 297, 38.1, 21.2],
      BROTHER_QL_62X29: [62, 29, 62, 29],
    });
  });

  for (const layout of layouts) {
    it(`${layout.id}: every label lies on the page inside the sheet's margins, centred across, and no two overlap`, () => {
      const page = { x: 0, y: 0, width: layout.page.width, height: layout.page.height };
      const margins = { x: layout.first.x, y: layout.first.y, width: layout.page.width - 2 * layout.first.x, height: layout.page.height - 2 * layout.first.y };
      const boxes = Array.from({ length: labelsPerSheet(layout) }, (_, index) => labelBox(layout, index + 1));
      for (const [index, box] of boxes.entries()) {
        expect(inside(box, page), `position ${index + 1}`).toBe(true);
        expect(inside(box, margins), `position ${index + 1}`).toBe(true);
        expect(inside(printableBox(layout, box), box), `position ${index + 1}`).toBe(true);
        for (const other of boxes.slice(index + 1)) expect(overlap(box, other), `position ${index + 1}`).toBe(false);
      }
      // the last column and row end where the sheet's far margins begin (within 0.1 mm)
      const last = boxes.at(-1)!;
      expect(toMm(layout.page.width - (last.x + last.width) - layout.first.x)).toBeCloseTo(0, 1);
      expect(toMm(layout.page.height - (last.y + last.height) - layout.first.y)).toBeCloseTo(0, 1);
    });
  }

  it('keep ink where printers print: 5 mm from a sheet\'s edges, inside the 696 × 271 dots a Brother QL prints of a 62 × 29 mm label', () => {
    for (const layout of layouts.filter((candidate) => candidate.id !== 'BROTHER_QL_62X29')) {
      const safe = { x: mm(5), y: mm(5), width: layout.page.width - mm(10), height: layout.page.height - mm(10) };
      for (let position = 1; position <= labelsPerSheet(layout); position += 1) {
        expect(inside(printableBox(layout, labelBox(layout, position)), safe), `${layout.id} ${position}`).toBe(true);
      }
    }
    const ql = labelLayouts.BROTHER_QL_62X29;
    const ink = printableBox(ql, labelBox(ql, 1));
    expect(ink.width * (300 / 72)).toBeLessThanOrEqual(696);
    expect(ink.height * (300 / 72)).toBeLessThanOrEqual(271);
  });

  it('number positions left to right, then down', () => {
    const layout = labelLayouts.AVERY_L7160;
    expect(labelBox(layout, 2).x).toBeCloseTo(labelBox(layout, 1).x + mm(66));
    expect(labelBox(layout, 4)).toEqual({ ...labelBox(layout, 1), y: labelBox(layout, 1).y + mm(38.1) });
    expect(toMm(labelBox(layout, 20).x)).toBeCloseTo(7.25 + 66);
    expect(toMm(labelBox(layout, 20).y)).toBeCloseTo(15.15 + 6 * 38.1);
  });
});

describe('wrapText and ellipsize', () => {
  // one point per character: widths are easy to reason about
  const widthOf = (text: string) => Array.from(text).length;

  it('wraps at spaces, breaks only a word wider than the line, and ends cut text with an ellipsis', () => {
    expect(wrapText('the old  fairy lights', 9, widthOf)).toEqual({ lines: ['the old', 'fairy', 'lights'], complete: true });
    expect(wrapText('abcdefghijkl xy', 5, widthOf)).toEqual({ lines: ['abcde', 'fghij', 'kl xy'], complete: true });
    expect(wrapText('the old fairy lights', 9, widthOf, 2)).toEqual({ lines: ['the old', 'fairy li…'], complete: false });
    expect(wrapText('Ящик с инструментами', 7, widthOf, 1)).toEqual({ lines: ['Ящик с…'], complete: false });
    expect(wrapText('anything', 5, widthOf, 0)).toEqual({ lines: [], complete: false });
    expect(wrapText('   ', 5, widthOf)).toEqual({ lines: [], complete: true });
  });

  it('keeps text that fits, and cuts what does not to the widest start that fits with the ellipsis', () => {
    expect(ellipsize('Garage', 6, widthOf)).toBe('Garage');
    expect(ellipsize('Garage › Shelf 3', 8, widthOf)).toBe('Garage…');
    expect(ellipsize('Garage', 1, widthOf)).toBe('…');
    expect(ellipsize('Garage', 0, widthOf)).toBe('');
  });
});

describe('placeLabels', () => {
  it('skips the used positions of the first sheet, puts copies side by side and spills onto the next sheet', () => {
    const layout = labelLayouts.AVERY_L7160;
    const placed = placeLabels(layout, 3, { startPosition: 20, copies: 2 });
    expect(placed.map(({ label, page, position }) => ({ label, page, position }))).toEqual([
      { label: 0, page: 0, position: 20 }, { label: 0, page: 0, position: 21 },
      { label: 1, page: 1, position: 1 }, { label: 1, page: 1, position: 2 },
      { label: 2, page: 1, position: 3 }, { label: 2, page: 1, position: 4 },
    ]);
    expect(placed[0]!.box).toEqual(labelBox(layout, 20));
    expect(placed[2]!.box).toEqual(labelBox(layout, 1));
  });

  it('starts at position 1 with one copy each by default, and fills whole sheets', () => {
    const layout = labelLayouts.AVERY_L7651;
    const placed = placeLabels(layout, 66);
    expect(placed.slice(0, 65).every((label, index) => label.page === 0 && label.position === index + 1 && label.label === index)).toBe(true);
    expect(placed[65]).toMatchObject({ label: 65, page: 1, position: 1 });
  });

  it('gives a label printer one page per label', () => {
    expect(placeLabels(labelLayouts.BROTHER_QL_62X29, 2, { copies: 2 }).map(({ label, page }) => [label, page])).toEqual([[0, 0], [0, 1], [1, 2], [1, 3]]);
  });

  it('refuses a start position off the sheet and copies below one', () => {
    const layout = labelLayouts.AVERY_L7160;
    for (const startPosition of [0, 22, 1.5]) expect(() => placeLabels(layout, 1, { startPosition })).toThrow(RangeError);
    for (const copies of [0, -1, 2.5]) expect(() => placeLabels(layout, 1, { copies })).toThrow(RangeError);
    expect(() => placeLabels(labelLayouts.BROTHER_QL_62X29, 1, { startPosition: 2 })).toThrow(RangeError);
  });
});

describe('planLabel', () => {
  const { doc } = createPdf({ title: 'measure', createdAt: new Date(0), size: [100, 100] });
  const measure = textMeasure(doc);
  const all = new Set<LabelField>(['name', 'short_code', 'parent', 'qr']);

  for (const layout of layouts) {
    it(`${layout.id}: keeps long, Greek and Cyrillic names, the parent and the short code inside the label, clear of the QR code`, () => {
      const box = labelBox(layout, 1);
      const ink = printableBox(layout, box);
      for (const name of [longName, unbrokenName, greekName, cyrillicName]) {
        const plan = planLabel(layout, box, { qrText: link('K7QX4M2P'), name, shortCode: 'K7QX4M2P', parent: `Basement ${'storage room '.repeat(8)}` }, all, measure);
        const qr = plan.qr!;
        const dark = { x: qr.x, y: qr.y, width: qr.matrix.size * qr.module, height: qr.matrix.size * qr.module };
        const withQuietZone = { x: dark.x - quietZone * qr.module, y: dark.y - quietZone * qr.module, width: dark.width + 2 * quietZone * qr.module, height: dark.height + 2 * quietZone * qr.module };
        expect(inside(dark, ink), name).toBe(true);
        expect(inside(withQuietZone, box), name).toBe(true);
        expect(plan.texts.length, name).toBeGreaterThan(0);
        for (const line of plan.texts) {
          // measured again, straight from pdfkit
          const width = doc.font(line.font).fontSize(line.size).widthOfString(line.text);
          const height = doc.currentLineHeight(false);
          expect(inside({ x: line.x, y: line.y, width, height }, ink), `${name}: ${line.text}`).toBe(true);
          expect(overlap({ x: line.x, y: line.y, width, height }, withQuietZone), line.text).toBe(false);
        }
        for (const [index, line] of plan.texts.entries()) {
          for (const other of plan.texts.slice(index + 1)) expect(overlap(line, other), `${line.text} / ${other.text}`).toBe(false);
        }
        const code = plan.texts.at(-1)!;
        expect(code).toMatchObject({ text: 'K7QX4M2P', font: 'bold' });
        expect(code.size).toBeGreaterThanOrEqual(Math.max(...plan.texts.map((line) => line.size)));
      }
    });
  }

  it('cuts a name too long for the label with an ellipsis, and keeps one that fits whole', () => {
    const layout = labelLayouts.AVERY_L7651;
    const box = labelBox(layout, 1);
    const lines = (name: string) => planLabel(layout, box, { qrText: link('K7QX4M2P'), name, shortCode: 'K7QX4M2P' }, all, measure).texts.slice(0, -1).map((line) => line.text);
    expect(lines(longName).at(-1)).toMatch(/…$/);
    expect(lines(longName).join(' ').length).toBeLessThan(200);
    expect(lines('Cordless drill').join(' ')).toBe('Cordless drill');
    expect(lines(greekName).join(' ')).toBe(greekName);
  });

  it('gives the whole label to what is asked for', () => {
    const layout = labelLayouts.AVERY_L7160;
    const box = labelBox(layout, 1);
    const content = { qrText: link('K7QX4M2P'), name: 'Cordless drill', shortCode: 'K7QX4M2P', parent: 'Garage' };
    const qrOnly = planLabel(layout, box, content, new Set(['qr']), measure);
    expect(qrOnly.texts).toEqual([]);
    expect(qrOnly.qr!.x + (qrOnly.qr!.matrix.size * qrOnly.qr!.module) / 2).toBeCloseTo(box.x + box.width / 2);
    const textOnly = planLabel(layout, box, content, new Set(['name', 'short_code']), measure);
    expect(textOnly.qr).toBeUndefined();
    expect(textOnly.texts.map((line) => line.text)).toEqual(['Cordless drill', 'K7QX4M2P']);
    expect(textOnly.texts[0]!.x).toBeCloseTo(printableBox(layout, box).x);
  });
});

/** Every label of the page decodes to its text; pixels outside every label's ink box stay white. */
function checkPage(raster: Raster, layout: (typeof layouts)[number], onPage: { box: Box; qrText: string }[]) {
  for (const { box, qrText } of onPage) {
    const image = crop(raster, box);
    expect(jsQR(image.data, image.width, image.height)?.data, `label at ${Math.round(box.x)},${Math.round(box.y)}`).toBe(qrText);
  }
  const scale = raster.dpi / 72;
  const inks = onPage.map(({ box }) => printableBox(layout, box));
  // anti-aliasing may shade the pixel that straddles an edge
  const slack = 1.5;
  const stray: string[] = [];
  for (let y = 0; y < raster.height && stray.length < 5; y += 1) {
    for (let x = 0; x < raster.width && stray.length < 5; x += 1) {
      if (!isInk(raster, x, y)) continue;
      const inAny = inks.some((ink) => x + 1 >= ink.x * scale - slack && x <= (ink.x + ink.width) * scale + slack && y + 1 >= ink.y * scale - slack && y <= (ink.y + ink.height) * scale + slack);
      if (!inAny) stray.push(`${x},${y}`);
    }
  }
  expect(stray, 'inked pixels outside every label').toEqual([]);
}

describe('renderLabelSheet', () => {
  mkdirSync(artifacts, { recursive: true });

  for (const id of labelLayoutIds) {
    it(`${id}: renders every label, from position 2 on, with QR codes that decode and nothing outside the labels`, async () => {
      const layout = labelLayouts[id];
      const startPosition = labelsPerSheet(layout) > 1 ? 2 : 1;
      // the first sheet full, and two labels on the next
      const count = labelsPerSheet(layout) - startPosition + 1 + 2;
      const labels = labelsFor(count);
      const pdf = await renderLabelSheet({ layout: id, labels, startPosition });
      const placed = placeLabels(layout, count, { startPosition });
      const pages = placed.at(-1)!.page + 1;
      expect(pageCount(pdf)).toBe(pages);

      const first = rasterise(pdf, 1);
      writeFileSync(`${artifacts}/${id}.png`, first.png);
      writeFileSync(`${artifacts}/${id}.pdf`, pdf);
      expect(Math.abs(first.width - (layout.page.width * 300) / 72)).toBeLessThan(1);
      expect(Math.abs(first.height - (layout.page.height * 300) / 72)).toBeLessThan(1);
      checkPage(first, layout, placed.filter((label) => label.page === 0).map(({ box, label }) => ({ box, qrText: labels[label]!.qrText })));

      const last = rasterise(pdf, pages);
      checkPage(last, layout, placed.filter((label) => label.page === pages - 1).map(({ box, label }) => ({ box, qrText: labels[label]!.qrText })));
    });
  }

  it('embeds DejaVu Sans, subset, and prints Greek and Cyrillic names that come back as text', async () => {
    const labels = [greekName, cyrillicName, 'Čajová konvice Größe'].map((name, index) => ({ qrText: link(codeOf(index)), name, shortCode: codeOf(index), parent: 'Кухня' }));
    const pdf = await renderLabelSheet({ layout: 'BROTHER_QL_62X29', labels });
    const fonts = pdfFonts(pdf);
    expect(fonts.map((font) => font.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(['DejaVuSans', 'DejaVuSans-Bold']);
    expect(fonts.every((font) => font.embedded && font.subset)).toBe(true);
    const pages = pdfText(pdf).split('\f').map((page) => page.replace(/\s+/g, ' ').trim());
    expect(pages.slice(0, 3)).toEqual([
      `${greekName} Кухня ${codeOf(0)}`,
      `${cyrillicName} Кухня ${codeOf(1)}`,
      `Čajová konvice Größe Кухня ${codeOf(2)}`,
    ]);
  });

  it('prints only the fields asked for', async () => {
    const labels = labelsFor(1);
    const qrOnly = await renderLabelSheet({ layout: 'AVERY_5160', labels, fields: ['qr'] });
    expect(pdfText(qrOnly).trim()).toBe('');
    const raster = rasterise(qrOnly, 1);
    const image = crop(raster, labelBox(labelLayouts.AVERY_5160, 1));
    expect(jsQR(image.data, image.width, image.height)?.data).toBe(labels[0]!.qrText);

    const textOnly = await renderLabelSheet({ layout: 'AVERY_5160', labels, fields: ['name', 'short_code'] });
    expect(pdfText(textOnly).replace(/\s+/g, ' ').trim()).toBe(`Cordless drill ${codeOf(0)}`);
    const textRaster = rasterise(textOnly, 1);
    const textImage = crop(textRaster, labelBox(labelLayouts.AVERY_5160, 1));
    expect(jsQR(textImage.data, textImage.width, textImage.height)).toBeNull();
  });

  it('gives the same bytes for the same input', async () => {
    const input = { layout: 'AVERY_L7160' as LabelLayoutId, labels: labelsFor(4), copies: 2 };
    expect(Buffer.from(await renderLabelSheet(input)).equals(Buffer.from(await renderLabelSheet(input)))).toBe(true);
  });
});
