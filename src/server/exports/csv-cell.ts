/**
 * One CSV cell (RFC 4180), safe to open in a spreadsheet. Exports are opened in Excel or
 * LibreOffice, which run a cell as a formula when it starts with = + - @ (or a tab / CR), and which
 * split cells on ";" or tab in many locales. So a cell gets a leading apostrophe when it starts with
 * a formula character or when any separator in it is followed by one (e.g. a file name `a;=1+1`),
 * and it is quoted whenever it holds a separator, a quote or a line break.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const FORMULA_AFTER_SEPARATOR = /[,;\t|]\s*[=+\-@]/;
const NEEDS_QUOTES = /[",;\t|\r\n]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const safe = FORMULA_START.test(value) || FORMULA_AFTER_SEPARATOR.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvRow(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
