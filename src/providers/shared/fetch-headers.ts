// Stand-ins for the fetch globals `Headers` and `FormData` (and `ReadableStream`), for vendor code that only
// builds and reads header lists and asks what a body is: the build binds them in Google's auth library and its
// HTTP client (scripts/vendor-load.mjs), never process-wide. Reading `Headers` or `FormData` makes Node.js load
// its whole fetch implementation (undici, about 130 internal modules: 35–55 ms of a run's start-up), although
// those requests go through node:http(s) (http-fetch.ts). `instanceof` the stand-ins answers as the globals
// would. `Headers` follows the Fetch standard's header list: names are case-insensitive and
// listed lower-cased in name order, repeated values are joined with ", " (Set-Cookie values stay apart), and a
// name or value that HTTP cannot carry is a TypeError.

type HeadersInitLike =
  | Iterable<readonly [string, string] | readonly string[]>
  | Readonly<Record<string, string | readonly string[]>>
  | undefined
  | null;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Leading and trailing HTTP whitespace is dropped from values; NUL, CR and LF may not appear at all.
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
const FORBIDDEN_IN_VALUE = /[\0\r\n]/;

function checkName(name: unknown): string {
  const text = String(name);
  if (!TOKEN.test(text)) throw new TypeError(`Headers: invalid header name ${JSON.stringify(text)}`);
  return text.toLowerCase();
}

function checkValue(name: string, value: unknown): string {
  const text = String(value).replace(EDGE_WHITESPACE, '');
  if (FORBIDDEN_IN_VALUE.test(text)) throw new TypeError(`Headers: invalid value for the header ${name}`);
  return text;
}

export class Headers {
  // Lower-cased name → its values in the order they were added.
  readonly #list = new Map<string, string[]>();

  constructor(init?: HeadersInitLike) {
    if (init === undefined || init === null) return;
    if (typeof init !== 'object') throw new TypeError('Headers: init must be an object or a sequence of pairs');
    if (Symbol.iterator in init) {
      for (const pair of init as Iterable<readonly string[]>) {
        if (pair.length !== 2) throw new TypeError('Headers: each header pair must have a name and a value');
        this.append(pair[0] as string, pair[1] as string);
      }
      return;
    }
    for (const [name, value] of Object.entries(init)) this.append(name, value as string);
  }

  append(name: string, value: string): void {
    const key = checkName(name);
    const text = checkValue(key, value);
    const values = this.#list.get(key);
    if (values === undefined) this.#list.set(key, [text]);
    else values.push(text);
  }

  set(name: string, value: string): void {
    const key = checkName(name);
    this.#list.set(key, [checkValue(key, value)]);
  }

  delete(name: string): void {
    this.#list.delete(checkName(name));
  }

  has(name: string): boolean {
    return this.#list.has(checkName(name));
  }

  get(name: string): string | null {
    return this.#list.get(checkName(name))?.join(', ') ?? null;
  }

  getSetCookie(): string[] {
    return [...(this.#list.get('set-cookie') ?? [])];
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of [...this.#list.keys()].sort()) {
      const values = this.#list.get(name) as string[];
      if (name === 'set-cookie') for (const value of values) yield [name, value];
      else yield [name, values.join(', ')];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  forEach(callback: (value: string, name: string, headers: Headers) => void, thisArg?: unknown): void {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this);
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Headers';
  }
}

// Node.js modules that must have been loaded for an instance of the real class to exist.
const UNDICI = 'NativeModule internal/deps/undici/undici';
const WEB_STREAMS = 'NativeModule internal/webstreams/readablestream';

// `value instanceof` the global `name`, asked without loading the global: when its module has not been loaded
// yet, nothing can be an instance of it.
function isInstanceOfGlobal(value: unknown, name: 'FormData' | 'ReadableStream', module: string): boolean {
  const loaded = (process as { moduleLoadList?: readonly string[] }).moduleLoadList?.includes(module) ?? true;
  return loaded && value instanceof (globalThis[name] as new () => unknown);
}

/**
 * The vendor code only asks whether a request body is a FormData (`instanceof`), and none of its requests
 * sends one; making one is refused rather than faked.
 */
export class FormData {
  constructor() {
    throw new TypeError('FormData is not available to this library in secrets-exec');
  }
  static [Symbol.hasInstance](value: unknown): boolean {
    return isInstanceOfGlobal(value, 'FormData', UNDICI);
  }
}

/**
 * gaxios only asks whether a request body is a web ReadableStream (`instanceof`): the first read of the global
 * loads Node's web streams (2–5 ms). Making one is refused.
 */
export class ReadableStream {
  constructor() {
    throw new TypeError('ReadableStream is not available to this library in secrets-exec');
  }
  static [Symbol.hasInstance](value: unknown): boolean {
    return isInstanceOfGlobal(value, 'ReadableStream', WEB_STREAMS);
  }
}
