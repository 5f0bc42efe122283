// JSON.parse keeps the last of two equal keys without a word; a duplicate is found here instead, in a text
// JSON.parse has already accepted, with the place of the second one. One pass: a stack of the objects and
// arrays open, and for an object the keys seen and whether the next string is a key.
import { type Position, positionAt } from './document-error.js';

interface Frame {
  readonly keys: Set<string> | undefined; // undefined for an array
  expectKey: boolean;
}

/** The first key that appears twice in one object, with where its second appearance starts. */
export function findDuplicateKey(text: string): { key: string; at: Position } | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack.at(-1);
    if (c === '{') stack.push({ keys: new Set(), expectKey: true });
    else if (c === '[') stack.push({ keys: undefined, expectKey: false });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',' && top?.keys !== undefined) top.expectKey = true;
    else if (c === '"') {
      const end = closingQuote(text, i);
      if (top?.keys !== undefined && top.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return { key, at: positionAt(text, i) };
        top.keys.add(key);
        top.expectKey = false;
      }
      i = end;
    }
  }
  return undefined;
}

function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}
