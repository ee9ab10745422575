// The insurance report read back with poppler: a seeded workspace's report names every item once,
// shows the totals per currency (never added across currencies), per location and per category;
// a long report breaks its pages with nothing inked outside the margins; photos in JPEG and PNG
// embed, and a broken one is reported instead of failing the report.
import { mkdirSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { renderInsuranceReport, type InsuranceReportInput, type ReportItem } from '../../shared/domain/print/insurance-report.js';
import { renderLabelSheet } from '../../shared/domain/print/label-sheet.js';
import { mm } from '../../shared/domain/print/layouts.js';
import { formatMoney } from '../../shared/domain/print/money.js';
import { isInk, jpegOf, pageCount, pdfImages, pdfText, rasterise } from '../support/pdf.js';

const artifacts = '/tmp/print-artifacts';
const margin = mm(18);

function pngPhoto(): Buffer {
  const png = new PNG({ width: 60, height: 40 });
  for (let y = 0; y < 40; y += 1) {
    for (let x = 0; x < 60; x += 1) png.data.set([x * 4, y * 6, 150, 255], (y * 60 + x) * 4);
  }
  return PNG.sync.write(png);
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;
const flat = (text: string) => text.replace(/\s+/g, ' ');

const seeded = async (): Promise<InsuranceReportInput> => ({
  workspaceName: 'The Müller household',
  generatedAt: new Date('2026-05-01T12:00:00Z'),
  currencyTotals: [{ currency: 'EUR', cents: 214_850 }, { currency: 'USD', cents: 89_900 }],
  locations: [
    {
      name: 'Living room',
      totals: [{ currency: 'EUR', cents: 149_900 }, { currency: 'USD', cents: 89_900 }],
      items: [
        { name: 'OLED television', brand: 'LG', model: 'OLED55C3', serialNumber: 'LG-55-0042', purchaseDate: '2024-11-29', priceCents: 149_900, currency: 'EUR', warrantyUntil: '2026-11-29', thumbnail: pngPhoto(), attachments: [{ title: 'Invoice 2024-118', kind: 'RECEIPT' }, { title: 'Extended warranty', kind: 'WARRANTY' }] },
        { name: 'Road bike', brand: 'Canyon', model: 'Endurace CF 7', serialNumber: 'WC1234567', purchaseDate: '2023-04-02', priceCents: 89_900, currency: 'USD', thumbnail: jpegOf(await renderLabelSheet({ layout: 'BROTHER_QL_62X29', labels: [{ qrText: 'bike', name: 'Road bike', shortCode: 'K7QX4M2P' }] }), 40), attachments: [] },
        { name: 'Κουτί με βινύλια', attachments: [{ title: 'Список пластинок', kind: 'OTHER' }] },
      ],
    },
    {
      name: 'Кухня',
      totals: [{ currency: 'EUR', cents: 64_950 }],
      items: [
        { name: 'Espresso machine', brand: 'Rancilio', model: 'Silvia', purchaseDate: '2022-01-15', priceCents: 64_950, currency: 'EUR', thumbnail: Buffer.from('not an image'), attachments: [{ title: 'Manual', kind: 'MANUAL' }] },
      ],
    },
  ],
  categoryTotals: [
    { name: 'Electronics', totals: [{ currency: 'EUR', cents: 149_900 }] },
    { name: 'Sports', totals: [{ currency: 'USD', cents: 89_900 }] },
    { name: 'Kitchen appliances', totals: [{ currency: 'EUR', cents: 64_950 }] },
  ],
});

function manyItems(count: number): InsuranceReportInput {
  const photo = pngPhoto();
  const item = (index: number): ReportItem => ({
    name: `Thing number ${String(index).padStart(3, '0')} with a name long enough to wrap onto a second line of the entry, and longer still`,
    brand: 'Bosch', model: 'GSR 18V-55', serialNumber: `SN-${10_000 + index}`, purchaseDate: '2024-03-15',
    priceCents: 10_000 + index, currency: 'EUR', warrantyUntil: '2027-03-15',
    ...(index % 3 === 0 ? {} : { thumbnail: photo }),
    attachments: Array.from({ length: index % 12 }, (_, n) => ({ title: `Document ${n + 1} ${'with a very long title '.repeat(6)}`, kind: 'RECEIPT' as const })),
  });
  const items = Array.from({ length: count }, (_, index) => item(index + 1));
  return {
    workspaceName: `A workspace with a very long name ${'that goes on '.repeat(20)}`,
    generatedAt: new Date('2026-05-01T12:00:00Z'),
    currencyTotals: [{ currency: 'EUR', cents: items.reduce((sum, entry) => sum + entry.priceCents!, 0) }],
    locations: [
      { name: 'Garage', totals: [{ currency: 'EUR', cents: 1 }], items: items.slice(0, 35) },
      { name: `Basement ${'storage '.repeat(30)}`, totals: [{ currency: 'EUR', cents: 2 }], items: items.slice(35) },
    ],
    categoryTotals: Array.from({ length: 80 }, (_, index) => ({ name: `Category ${index + 1}`, totals: [{ currency: 'EUR', cents: index * 100 }, { currency: 'CHF', cents: 5 }] })),
  };
}

describe('formatMoney', () => {
  it('writes whole minor units in each currency\'s own way', () => {
    expect(formatMoney(123_456, 'EUR')).toBe('€1,234.56');
    expect(formatMoney(1_200, 'JPY')).toBe('¥1,200');
    expect(formatMoney(5, 'USD')).toBe('$0.05');
    expect(formatMoney(123_456, 'EUR', 'de-DE')).toBe('1.234,56\u00a0€');
  });
});

describe('renderInsuranceReport', () => {
  mkdirSync(artifacts, { recursive: true });

  it('lists every item once, under its location, with the totals per currency, location and category', async () => {
    const input = await seeded();
    const pdf = await renderInsuranceReport(input);
    const text = pdfText(pdf);
    const pages = text.split('\f');
    writeFileSync(`${artifacts}/insurance-report.pdf`, pdf);
    writeFileSync(`${artifacts}/insurance-report.png`, rasterise(pdf, 2, 100).png);

    const cover = flat(pages[0]!);
    expect(cover).toContain('The Müller household');
    expect(cover).toContain('4 items in 2 locations');
    expect(cover).toMatch(/EUR €2,148\.50/);
    expect(cover).toMatch(/USD \$899\.00/);
    expect(cover).toContain('1 item has no price');
    // never one sum across currencies
    expect(cover).not.toContain('3,047.50');

    for (const item of input.locations.flatMap((location) => location.items)) expect(occurrences(text, item.name), item.name).toBe(1);
    const body = flat(pages.slice(1).join(' '));
    expect(body.indexOf('Living room')).toBeLessThan(body.indexOf('OLED television'));
    expect(body.indexOf('Road bike')).toBeLessThan(body.indexOf('Кухня'));
    expect(body.indexOf('Кухня')).toBeLessThan(body.indexOf('Espresso machine'));
    for (const field of ['LG-55-0042', 'OLED55C3', '2024-11-29', '€1,499.00', '2026-11-29', 'Receipt: Invoice 2024-118', 'Warranty: Extended warranty', 'Document: Список пластинок', 'Manual: Manual', 'WC1234567']) {
      expect(body, field).toContain(field);
    }
    expect(body).toContain('Photo unreadable');
    expect(body).toContain('No photo');
    expect(body).toContain('Total for Living room: €1,499.00 · $899.00');
    expect(body).toContain('Total for Кухня: €649.50');
    expect(body).toMatch(/Value by category.*Electronics €1,499\.00 Sports \$899\.00 Kitchen appliances €649\.50/);
  });

  it('embeds the PNG and the JPEG photos as images', async () => {
    const pdf = await renderInsuranceReport(await seeded());
    const page = rasterise(pdf, 2, 72);
    // the thumbnails sit in the left column; the PNG's blue and the JPEG's black-on-white both show
    const left = Math.round(margin);
    const column = { from: left, to: left + Math.round(mm(28)) };
    let coloured = 0;
    for (let y = 0; y < page.height; y += 1) {
      for (let x = column.from; x < column.to; x += 1) {
        const at = (y * page.width + x) * 4;
        if (page.data[at + 2]! > 120 && page.data[at]! < 100) coloured += 1;
      }
    }
    expect(coloured).toBeGreaterThan(200);
    expect(pdfImages(pdf).filter((image) => image.type === 'image').map(({ page, width, height, encoding }) => ({ page, width, height, encoding }))).toEqual([
      { page: 2, width: 60, height: 40, encoding: 'image' },
      { page: 2, width: 98, height: 46, encoding: 'jpeg' },
    ]);
  });

  it('breaks a 60-item report over pages with nothing outside the margins, each item once, and page numbers', async () => {
    const input = manyItems(60);
    const pdf = await renderInsuranceReport(input);
    const text = pdfText(pdf);
    const pages = pageCount(pdf);
    expect(pages).toBeGreaterThan(8);
    for (let index = 1; index <= 60; index += 1) expect(occurrences(text, `Thing number ${String(index).padStart(3, '0')} `), `item ${index}`).toBe(1);
    expect(text).toContain(`Page ${pages} of ${pages}`);
    expect(text).toContain('Garage (continued)');
    expect(text).toContain('Value by category (continued)');
    expect(text).toContain('and 3 more');
    expect(occurrences(text, 'Category ')).toBe(80);

    for (let page = 1; page <= pages; page += 1) {
      const raster = rasterise(pdf, page, 50);
      if (page === 3) writeFileSync(`${artifacts}/insurance-report-long.png`, rasterise(pdf, page, 100).png);
      const scale = raster.dpi / 72;
      const inside = { left: margin * scale - 1, top: margin * scale - 1, right: raster.width - margin * scale + 1, bottom: raster.height - margin * scale + 1 };
      const stray: string[] = [];
      for (let y = 0; y < raster.height && stray.length < 3; y += 1) {
        for (let x = 0; x < raster.width && stray.length < 3; x += 1) {
          if (isInk(raster, x, y, 240) && (x < inside.left || x > inside.right || y < inside.top || y > inside.bottom)) stray.push(`${x},${y}`);
        }
      }
      expect(stray, `page ${page}: inked pixels outside the margins`).toEqual([]);
    }
  });

  it('gives the same bytes for the same input', async () => {
    const input = await seeded();
    expect(Buffer.from(await renderInsuranceReport(input)).equals(Buffer.from(await renderInsuranceReport(input)))).toBe(true);
  });
});
