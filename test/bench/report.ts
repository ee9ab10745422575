// The bench report: every figure any section measures, kept in one list in the order recorded.
// A section calls `record(name, value, unit, baseline)`; run.ts prints them all as one table and,
// with `--json FILE`, writes them as a JSON array of { name, value, unit, baseline, ratio }.
// Later issues add figures by recording them from their own section (see sections/index.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface Figure {
  /** dotted, stable across runs, e.g. `bundle.http-users-get-me.init` */
  name: string;
  value: number;
  /** `bytes`, `ms`, `RCU`, `count`, … */
  unit: string;
  /** the same quantity measured on the baseline in the same run; null when there is none */
  baseline: number | null;
  /** value / baseline; null without a baseline */
  ratio: number | null;
}

interface Entry extends Figure {
  /** ratio above which the figure is flagged (printed only; a flag never fails the run) */
  budget?: number;
}

const entries: Entry[] = [];

const round = (value: number, digits: number) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

/** Records one figure and returns it. The ratio is value / baseline (null without a baseline). */
export function record(name: string, value: number, unit: string, baseline: number | null = null, options: { budget?: number } = {}): Figure {
  if (!Number.isFinite(value)) throw new Error(`bench figure ${name} is not a number: ${value}`);
  if (entries.some((entry) => entry.name === name)) throw new Error(`bench figure ${name} recorded twice`);
  const ratio = baseline === null || baseline === 0 || !Number.isFinite(baseline) ? null : round(value / baseline, 4);
  const entry: Entry = {
    name,
    value: round(value, 4),
    unit,
    baseline: baseline === null || !Number.isFinite(baseline) ? null : round(baseline, 4),
    ratio,
    ...(options.budget === undefined ? {} : { budget: options.budget }),
  };
  entries.push(entry);
  return figureOf(entry);
}

const figureOf = ({ name, value, unit, baseline, ratio }: Entry): Figure => ({ name, value, unit, baseline, ratio });

export function figures(): Figure[] {
  return entries.map(figureOf);
}

/** True when the figure has a budget and its ratio exceeds it. */
export function overBudget(figure: Pick<Figure, 'name'>): boolean {
  const entry = entries.find((candidate) => candidate.name === figure.name);
  return entry?.budget !== undefined && entry.ratio !== null && entry.ratio > entry.budget;
}

// ---- formatting

export function formatNumber(value: number | null, unit = ''): string {
  if (value === null) return '-';
  if (unit === 'bytes' || Number.isInteger(value)) return Math.round(value).toLocaleString('en-US');
  const magnitude = Math.abs(value);
  return value.toFixed(magnitude >= 100 ? 1 : magnitude >= 1 ? 2 : 3);
}

export const formatRatio = (ratio: number | null) => (ratio === null ? '-' : `${ratio.toFixed(2)}×`);

/** A plain text table; columns whose header starts with '>' are right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const right = header.map((title) => title.startsWith('>'));
  const titles = header.map((title) => title.replace(/^>/, ''));
  const widths = titles.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (right[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join(' | ').trimEnd();
  return [line(titles), widths.map((width) => '-'.repeat(width)).join('-|-'), ...rows.map(line)].join('\n');
}

export function summaryTable(): string {
  return table(
    ['name', '>value', 'unit', '>baseline', '>ratio', 'flag'],
    entries.map((entry) => [
      entry.name,
      formatNumber(entry.value, entry.unit),
      entry.unit,
      formatNumber(entry.baseline, entry.unit),
      formatRatio(entry.ratio),
      overBudget(entry) ? `over ${entry.budget}× budget` : '',
    ]),
  );
}

export function writeJson(file: string): string {
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(figures(), null, 2)}\n`);
  return path;
}
