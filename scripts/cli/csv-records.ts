/**
 * The CSV reader the CLI and its tests share (RFC 4180: double quotes may wrap a cell, "" inside
 * quotes is a quote, and quoted cells may hold commas and line breaks).
 */

/**
 * Splits `text` into records of untrimmed cells. With `lineBreaks` (the default) an unquoted \n,
 * \r or \r\n ends a record; without, the text is one record and line breaks are cell text. A
 * record is kept when it has a comma or ends in a non-empty cell, so a trailing line break adds none.
 */
export function parseCsvRecords(text: string, { lineBreaks = true }: { lineBreaks?: boolean } = {}): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (lineBreaks && (c === "\n" || c === "\r")) {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
