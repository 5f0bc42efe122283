// The Headers look-alike that Google's auth library is given instead of the global: for any sequence of
// operations it must answer what Node's own Headers (the Fetch standard's, here the oracle) answers, and refuse
// what that one refuses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormData, Headers, ReadableStream } from '../../../src/providers/shared/fetch-headers.js';

type Op =
  | { op: 'append' | 'set'; name: string; value: string }
  | { op: 'delete' | 'has' | 'get'; name: string }
  | { op: 'getSetCookie' };

// Names in several cases (and Set-Cookie, listed apart), values with the whitespace that is trimmed.
const name = fc.constantFrom(
  'Content-Type',
  'content-type',
  'X-Goog-User-Project',
  'Set-Cookie',
  'set-cookie',
  'a',
  'B',
);
const value = fc.constantFrom('application/json', ' padded\t', 'a, b', '', 'Bearer ya29.x', 'k=v; Path=/', 'é');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom('append' as const, 'set' as const), name, value }),
  fc.record({ op: fc.constantFrom('delete' as const, 'has' as const, 'get' as const), name }),
  fc.constant({ op: 'getSetCookie' as const }),
);

// What a Headers answers to the operations, then its listing by every iterator.
function play(headers: globalThis.Headers | Headers, ops: readonly Op[]): unknown[] {
  const h = headers as globalThis.Headers;
  const answers: unknown[] = ops.map((o) => {
    if (o.op === 'append' || o.op === 'set') return h[o.op](o.name, o.value);
    if (o.op === 'getSetCookie') return h.getSetCookie();
    return h[o.op](o.name);
  });
  const each: string[][] = [];
  h.forEach((v, k) => {
    each.push([k, v]);
  });
  return [...answers, [...h], [...h.entries()], [...h.keys()], [...h.values()], each];
}

describe('the Headers look-alike', () => {
  it("answers every sequence of operations as Node's Headers does", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
        expect(play(new Headers(), ops)).toEqual(play(new globalThis.Headers(), ops));
      }),
    );
  });

  it('takes a record, pairs or another Headers to start from, as fetch does', () => {
    const inits = [
      { 'Content-Type': 'text/plain', accept: '*/*' },
      [
        ['a', '1'],
        ['A', '2'],
        ['set-cookie', 'x=1'],
        ['set-cookie', 'y=2'],
      ],
      new Headers({ authorization: 'Bearer t' }),
      undefined,
    ];
    for (const init of inits) {
      const oracle = new globalThis.Headers(
        (init instanceof Headers ? [...init] : init) as ConstructorParameters<typeof globalThis.Headers>[0],
      );
      expect([...new Headers(init as never)]).toEqual([...oracle]);
    }
    expect(Object.prototype.toString.call(new Headers())).toBe('[object Headers]');
  });

  it('refuses the names and values HTTP cannot carry, as fetch does', () => {
    for (const [n, v] of [
      ['bad name', 'x'],
      ['', 'x'],
      ['x', 'a\r\nInjected: 1'],
      ['x', 'nul\0'],
    ] as const) {
      expect(() => new globalThis.Headers().append(n, v)).toThrow(TypeError);
      expect(() => new Headers().append(n, v)).toThrow(TypeError);
    }
    expect(() => new Headers([['only-a-name']] as never)).toThrow(TypeError);
  });

  it('has a FormData and a ReadableStream that answer instanceof as the globals do, and cannot be made', () => {
    expect(new URLSearchParams('a=1') instanceof FormData).toBe(false);
    expect(new globalThis.FormData() instanceof FormData).toBe(true);
    expect(new URLSearchParams('a=1') instanceof ReadableStream).toBe(false);
    expect(new globalThis.ReadableStream() instanceof ReadableStream).toBe(true);
    expect(() => new FormData()).toThrow(TypeError);
    expect(() => new ReadableStream()).toThrow(TypeError);
  });
});
