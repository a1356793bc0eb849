/**
 * The JSON statement (API.md "Accounts"): `{ account_id, currency, from, to, opening_balance,
 * closing_balance, lines: [{ date, description, amount, balance, entry_id }] }`, every amount in the
 * API's Money wire format (`{ "amount": "-1500.50", "currency": "KES" }`, a decimal string, signed from
 * the account holder's view). Written a batch of lines at a time, one line per row of text, so it
 * streams and stays readable; the closing balance is known up front and comes before the lines.
 */
import type { Writable } from 'node:stream';
import { money } from '../../http/render.ts';
import { checkedLines, type StatementHeader, type StatementLine } from './statement.ts';
import { ChunkBuffer, writeChunks } from './stream.ts';

/** Streams the JSON statement to `out` and ends it. Rejects (and destroys `out`) on a mismatch. */
export async function renderJsonStatement(
  header: StatementHeader,
  lines: AsyncIterable<StatementLine> | Iterable<StatementLine>,
  out: Writable,
): Promise<void> {
  await writeChunks(jsonChunks(header, lines), out);
}

async function* jsonChunks(
  header: StatementHeader,
  lines: AsyncIterable<StatementLine> | Iterable<StatementLine>,
): AsyncGenerator<string> {
  const { currency } = header;
  const head = JSON.stringify({
    account_id: header.accountId,
    currency,
    from: header.from,
    to: header.to,
    opening_balance: money(header.openingBalance, currency),
    closing_balance: money(header.closingBalance, currency),
  });
  const buffer = new ChunkBuffer();
  // The header object without its closing brace, then the lines array.
  buffer.add(`${head.slice(0, -1)},"lines":[`);
  let separator = '\n';
  for await (const line of checkedLines(header, lines)) {
    buffer.add(
      separator +
        JSON.stringify({
          date: line.date,
          description: line.description,
          amount: money(line.amount, currency),
          balance: money(line.balance, currency),
          entry_id: line.entryId,
        }),
    );
    separator = ',\n';
    if (buffer.full) yield buffer.take();
  }
  buffer.add(separator === '\n' ? ']}\n' : '\n]}\n');
  yield buffer.take();
}
