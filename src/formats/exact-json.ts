// JSON whose numbers keep their text: `1.10`, `1E-7`, `-0` and `9007199254740993` come back as written,
// where JSON.parse would give 1.1, 1e-7, 0 and …992. Every number becomes a raw JSON value (JSON.rawJSON,
// fed from the reviver's `context.source`), which JSON.stringify writes back verbatim, and every object
// is a map without a prototype, so that keys such as `__proto__` or `constructor` are plain keys.

/** A number as its source text; JSON.stringify writes it back unchanged. */
export interface JsonNumber {
  readonly rawJSON: string;
}

interface RawJsonApi {
  rawJSON(text: string): JsonNumber;
  isRawJSON(value: unknown): value is JsonNumber;
}
type SourceReviver = (this: unknown, key: string, value: unknown, context: { source?: string }) => unknown;

const api = JSON as unknown as RawJsonApi;

/** True for a number parsed by parseExactJson (or made with JSON.rawJSON). */
export function isJsonNumber(value: unknown): value is JsonNumber {
  return api.isRawJSON(value);
}

/** A raw JSON number from its source text. */
export function jsonNumber(text: string): JsonNumber {
  return api.rawJSON(text);
}

/** A number read from a parsed answer (an exact number or a plain one), or undefined for anything else. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return isJsonNumber(value) ? Number(value.rawJSON) : undefined;
}

/** A map without a prototype holding the own enumerable entries of `value`. */
export function toBareMap(value: object): Record<string, unknown> {
  const map = Object.create(null) as Record<string, unknown>;
  // defineProperty, not assignment: `__proto__` must become a key, never a prototype.
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(map, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return map;
}

const reviver: SourceReviver = (_key, value, context) => {
  if (typeof value === 'number') return api.rawJSON(context.source ?? String(value));
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return toBareMap(value);
  return value;
};

/** JSON.parse with numbers as their text and objects without a prototype; throws as JSON.parse does. */
export function parseExactJson(text: string): unknown {
  return JSON.parse(text, reviver as Parameters<typeof JSON.parse>[1]);
}

/** A parsed value as env text: strings as they are, numbers as written, the rest as JSON text. */
export function toEnvText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isJsonNumber(value)) return value.rawJSON;
  return JSON.stringify(value);
}
