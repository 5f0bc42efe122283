// Standard base64 with its padding, as the stores' JSON answers carry binary data: anything else is not
// decoded (Node's decoder would skip what it does not know and hand back other bytes).

/** True when `text` is standard, padded base64 and nothing else. */
export function isStrictBase64(text: string): boolean {
  return /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text);
}
