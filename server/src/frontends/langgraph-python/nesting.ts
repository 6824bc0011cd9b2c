// A guard against pathological bracket nesting. CPython refuses source nested deeper than 200 brackets ("too many
// nested parentheses"); lezer would spend most of a second recovering from such input, and its tree would be
// as deep. The brackets past that depth (outside strings and comments) become spaces: every offset stays where
// it was, and what remains is what Python could have read.

/** CPython's tokenizer limit (MAXLEVEL). */
export const MAX_NESTING = 200;

const QUOTE_S = 39; // '
const QUOTE_D = 34; // "
const HASH = 35;
const BACKSLASH = 92;
const NEWLINE = 10;

/** The text with the brackets nested deeper than `max` blanked, and where the first one was; the same text when none is. */
export function limitNesting(text: string, max = MAX_NESTING): { text: string; at?: number } {
  let depth = 0;
  let blank: number[] | undefined;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE_S || c === QUOTE_D) {
      i = stringEnd(text, i, c);
      continue;
    }
    if (c === HASH) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl;
      continue;
    }
    if (c === 40 || c === 91 || c === 123) {
      if (++depth > max) (blank ??= []).push(i);
    } else if (c === 41 || c === 93 || c === 125) {
      if (depth > max) (blank ??= []).push(i);
      if (depth > 0) depth--;
    }
  }
  if (!blank) return { text };
  const parts: string[] = [];
  let from = 0;
  for (const at of blank) {
    parts.push(text.slice(from, at), ' ');
    from = at + 1;
  }
  parts.push(text.slice(from));
  return { text: parts.join(''), at: blank[0] };
}

/** The index of the last character of the string literal opening at `i` (the end of the text if unterminated). */
function stringEnd(text: string, i: number, quote: number): number {
  const n = text.length;
  const triple = text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote;
  let j = triple ? i + 3 : i + 1;
  for (; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) {
      j++;
      continue;
    }
    if (!triple && c === NEWLINE) return j; // an unterminated one-line string ends at its line
    if (c === quote && (!triple || (text.charCodeAt(j + 1) === quote && text.charCodeAt(j + 2) === quote))) return triple ? j + 2 : j;
  }
  return n - 1;
}
