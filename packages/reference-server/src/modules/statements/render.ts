/**
 * One entry point for the statement route: `GET /v1/accounts/{id}/statement?from&to&format` picks the
 * renderer, sets the content type and file name, and streams into the response.
 *
 * ```ts
 * const header = await statements.header(account, from, to);          // balances, names, COUNT of lines
 * res.type(STATEMENT_MEDIA_TYPES[format]);
 * if (format !== 'json') res.attachment(statementFileName(header, format));
 * await renderStatement(format, header, statements.lines(account, from, to), res);
 * ```
 *
 * Once the first bytes are out the status is sent; a failure after that (a mismatch, the database)
 * destroys the response instead of ending it, so the client sees a broken download, never a short
 * statement that looks complete.
 */
import type { Writable } from 'node:stream';
import { renderCamt053Statement } from './camt053.ts';
import { renderCsvStatement } from './csv.ts';
import { renderJsonStatement } from './json.ts';
import { type PdfStatementOptions, renderPdfStatement } from './pdf.ts';
import type { StatementHeader, StatementLine } from './statement.ts';

export const STATEMENT_FORMATS = ['json', 'csv', 'pdf', 'camt053'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

/** The Content-Type of each format. */
export const STATEMENT_MEDIA_TYPES: Record<StatementFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
  pdf: 'application/pdf',
  camt053: 'application/xml; charset=utf-8',
};

const EXTENSIONS: Record<StatementFormat, string> = {
  json: 'json',
  csv: 'csv',
  pdf: 'pdf',
  camt053: 'camt053.xml',
};

/** A download name such as `statement-acc_01J…-2025-03-01-2025-03-31.pdf`. */
export function statementFileName(
  header: Pick<StatementHeader, 'accountId' | 'from' | 'to'>,
  format: StatementFormat,
): string {
  return `statement-${header.accountId}-${header.from}-${header.to}.${EXTENSIONS[format]}`;
}

export interface RenderStatementOptions {
  /** PDF only: fonts to embed instead of the standard Helvetica. */
  pdf?: PdfStatementOptions;
}

/** Streams the statement in `format` to `out` and ends it; rejects, destroying `out`, when it cannot be finished right. */
export async function renderStatement(
  format: StatementFormat,
  header: StatementHeader,
  lines: AsyncIterable<StatementLine> | Iterable<StatementLine>,
  out: Writable,
  options: RenderStatementOptions = {},
): Promise<void> {
  switch (format) {
    case 'json':
      return renderJsonStatement(header, lines, out);
    case 'csv':
      return renderCsvStatement(header, lines, out);
    case 'pdf':
      return renderPdfStatement(header, lines, out, options.pdf);
    case 'camt053':
      return renderCamt053Statement(header, lines, out);
    default:
      throw new RangeError(`Unknown statement format ${JSON.stringify(format satisfies never)}`);
  }
}
