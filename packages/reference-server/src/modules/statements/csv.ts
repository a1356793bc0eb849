/**
 * The CSV statement: RFC 4180 (comma-separated, CRLF line ends, fields quoted when they hold a comma,
 * quote or line break, quotes doubled), written by csv-stringify. One header row, then one row per line:
 *
 *     date,description,amount,balance,currency,entry_id
 *     2025-03-11,Transfer from Wanjiru,20000.00,70000.00,KES,je_01J…
 *
 * Dates are ISO 8601 (`YYYY-MM-DD`); amounts are plain signed decimals with the currency's minor digits
 * ("-1500.50", no grouping, no symbol). The file starts with a UTF-8 byte-order mark so that
 * spreadsheet programs read names with accents correctly (csv-parse's `bom: true` skips it).
 *
 * A description that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`:
 * descriptions carry text other people typed (a transfer's reference), and a spreadsheet would run
 * such a cell as a formula (OWASP "CSV injection"). csv-stringify's own `escape_formulas` would also
 * prefix the negative amounts, so it is applied to the description column only, here.
 */
import type { Writable } from 'node:stream';
import { formatAmount } from '@wekeza/sdk';
import { stringify } from 'csv-stringify/sync';
import { checkedLines, type StatementHeader, type StatementLine } from './statement.ts';
import { writeChunks } from './stream.ts';

/** The CSV columns, in order. */
export const CSV_COLUMNS = ['date', 'description', 'amount', 'balance', 'currency', 'entry_id'] as const;

/** Streams the CSV statement to `out` and ends it. Rejects (and destroys `out`) on a mismatch. */
export async function renderCsvStatement(
  header: StatementHeader,
  lines: AsyncIterable<StatementLine> | Iterable<StatementLine>,
  out: Writable,
): Promise<void> {
  await writeChunks(csvChunks(header, lines), out);
}

/** Records per call to csv-stringify: one string per batch instead of one tiny chunk per line. */
const BATCH = 500;

async function* csvChunks(
  header: StatementHeader,
  lines: AsyncIterable<StatementLine> | Iterable<StatementLine>,
): AsyncGenerator<string> {
  const { currency } = header;
  let batch: string[][] = [];
  let first = true;
  const flush = () => {
    const text = stringify(batch, {
      header: first,
      bom: first,
      columns: [...CSV_COLUMNS],
      record_delimiter: 'windows',
    });
    first = false;
    batch = [];
    return text;
  };
  for await (const line of checkedLines(header, lines)) {
    batch.push([
      line.date,
      neutraliseFormula(line.description),
      formatAmount(line.amount, currency),
      formatAmount(line.balance, currency),
      currency,
      line.entryId,
    ]);
    if (batch.length === BATCH) yield flush();
  }
  yield flush();
}

/** Prefixes `'` to text a spreadsheet would run as a formula (the triggers OWASP lists). */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(text) ? `'${text}` : text;
}
