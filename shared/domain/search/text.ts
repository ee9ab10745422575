// Text as search compares it: folded (case, accents and the letters Unicode does not decompose,
// so "Café", "CAFE" and "café" are one word, as are "Straße" and "strasse") and cut into words.
// Codes people type (SKU, barcode, short code) also match with their separators left out
// ("drill-18v" = "DRILL18V").

/** Letters NFKD leaves whole, as people type them on a keyboard without them. */
const spelledOut: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

/** Lower case, accents off, special letters spelled out. */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[ßæœøłđðþı]/g, (letter) => spelledOut[letter] ?? letter);
}

/** The words of a text, folded, in order (a word: a run of letters and digits). */
export function words(text: unknown): string[] {
  return typeof text === 'string' ? fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean) : [];
}

/** A code without its separators, folded: what "DRILL-18V", "drill 18v" and "drill18v" have in common. */
export function compact(text: unknown): string {
  return typeof text === 'string' ? words(text).join('') : '';
}

/**
 * True when `a` and `b` are at most one typo apart: one letter left out, added, changed, or two
 * neighbours swapped (optimal string alignment distance ≤ 1), in linear time.
 */
export function withinOneTypo(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (long.length - short.length > 1) return false;
  let start = 0;
  while (start < short.length && short[start] === long[start]) start += 1;
  if (short.length === long.length) {
    // one letter changed, or two neighbours swapped
    if (short.slice(start + 1) === long.slice(start + 1)) return true;
    return short[start] === long[start + 1] && short[start + 1] === long[start] && short.slice(start + 2) === long.slice(start + 2);
  }
  // one letter more in `long`
  return short.slice(start) === long.slice(start + 1);
}

/** True when some beginning of `word` is within one typo of `prefix` (a typed beginning with a slip: "scredr" starts "screwdriver"). */
export function prefixWithinOneTypo(prefix: string, word: string): boolean {
  for (const length of [prefix.length - 1, prefix.length, prefix.length + 1]) {
    if (length > 0 && length <= word.length && withinOneTypo(prefix, word.slice(0, length))) return true;
  }
  return false;
}
