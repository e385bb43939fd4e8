// Characters XML 1.0 does not allow at all (C0 controls but tab/LF/CR, U+FFFE/FFFF, lone surrogates).
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text for XML content or a double-quoted attribute: escaped, without characters XML cannot carry. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A number for an XML attribute: integers as such, fractions with at most `digits` decimals. */
export function xmlNumber(value: number, digits = 4): string {
  return String(Math.round(value * 10 ** digits) / 10 ** digits);
}
