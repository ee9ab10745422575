// Amounts as the reports print them. Money is kept as whole minor units ("cents": of the euro,
// the dollar; the yen has none, so a yen amount counts yen) and never added across currencies.

export interface Money {
  /** ISO 4217 code */
  currency: string;
  /** whole minor units of `currency` */
  cents: number;
}

const formats = new Map<string, Intl.NumberFormat>();

function formatOf(currency: string, locale: string): Intl.NumberFormat {
  const key = `${locale} ${currency}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formats.set(key, format);
  }
  return format;
}

/** `cents` of `currency` as the locale writes money: `€1,234.50`, `¥1,200`. */
export function formatMoney(cents: number, currency: string, locale = 'en'): string {
  const format = formatOf(currency, locale);
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(cents / 10 ** digits);
}

/** Several currencies' amounts side by side, each on its own: `€1,234.50 · $20.00`. */
export function formatTotals(totals: readonly Money[], locale = 'en'): string {
  return totals.map((total) => formatMoney(total.cents, total.currency, locale)).join(' · ');
}
