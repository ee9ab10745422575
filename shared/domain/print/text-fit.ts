// Text cut to a width, so the PDFs place every line themselves and nothing runs past its box:
// greedy wrapping at spaces, a word wider than the box broken between characters, and an ellipsis
// where text had to be left out.

/** The width of a text in points, at the font and size the caller has in mind. */
export type WidthOf = (text: string) => number;

export const ellipsis = '…';

/** The longest start of `text` that fits `width` with an ellipsis after it (the ellipsis alone if none does, or nothing). */
export function ellipsize(text: string, width: number, widthOf: WidthOf): string {
  if (widthOf(text) <= width) return text;
  const characters = Array.from(text);
  let low = 0;
  let high = characters.length;
  // the widest prefix that still fits: widths only grow with length
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (widthOf(characters.slice(0, middle).join('').trimEnd() + ellipsis) <= width) low = middle;
    else high = middle - 1;
  }
  const cut = characters.slice(0, low).join('').trimEnd() + ellipsis;
  return widthOf(cut) <= width ? cut : '';
}

/** The longest start of `word` that fits `width`, at least one character (a line has to move on). */
function fittingPrefix(word: string, width: number, widthOf: WidthOf): string {
  const characters = Array.from(word);
  let length = 1;
  while (length < characters.length && widthOf(characters.slice(0, length + 1).join('')) <= width) length += 1;
  return characters.slice(0, length).join('');
}

/**
 * `text` in lines no wider than `width`, at most `maxLines` of them; when it needs more, the last
 * line ends with an ellipsis. `complete` says whether every character made it.
 */
export function wrapText(text: string, width: number, widthOf: WidthOf, maxLines = Infinity): { lines: string[]; complete: boolean } {
  if (maxLines < 1) return { lines: [], complete: text.trim() === '' };
  const words = text.trim().split(/\s+/u).filter((word) => word !== '');
  const lines: string[] = [];
  let line = '';
  for (let index = 0; index < words.length;) {
    const word = words[index]!;
    const candidate = line === '' ? word : `${line} ${word}`;
    if (widthOf(candidate) <= width) {
      line = candidate;
      index += 1;
      continue;
    }
    if (line === '') {
      const head = fittingPrefix(word, width, widthOf);
      lines.push(head);
      words[index] = word.slice(head.length);
    } else {
      lines.push(line);
      line = '';
    }
    if (lines.length === maxLines) {
      const rest = [line, ...words.slice(index)].filter((part) => part !== '').join(' ');
      if (rest === '') return { lines, complete: true };
      lines[lines.length - 1] = ellipsize(`${lines[lines.length - 1]} ${rest}`, width, widthOf);
      return { lines, complete: false };
    }
  }
  if (line !== '') lines.push(line);
  return { lines, complete: true };
}
