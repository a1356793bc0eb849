/**
 * The PDF statement, drawn with pdfkit: of the three usual Node PDF libraries it is the one that
 * streams — it writes each page out as soon as the next one starts (pdf-lib builds the whole document
 * in memory and saves it at the end; pdfmake lays out a document definition that must hold every
 * line). A 100,000-line statement therefore needs the memory of one page.
 *
 * Page 1 carries the bank's name, the customer, the account, the period, the opening and closing
 * balances; every page has a table (date, description, money out, money in, running balance) that
 * continues from page to page with the balance brought forward, and a footer with "Page x of y" and
 * when the statement was generated. After the last line: the closing balance and the period's totals.
 *
 * "Page x of y" without holding pages back: every row has the same height (a description too long for
 * its column is cut with an ellipsis) and each page's capacity is fixed, so the page count follows from
 * the line count alone (`pdfPageCount`). The caller passes the count in the header (`lineCount`, from
 * a COUNT over the same rows); without it the footer says "Page x".
 *
 * Text is real text, extractable and searchable. By default the PDF uses the standard Helvetica fonts,
 * which need no embedding but only cover Windows-1252 (Western European): other letters are shown
 * without their accents (ũ → u) or as "?". Pass TrueType fonts in `fonts` (say DejaVu Sans) to embed
 * a subset and show every script the font covers.
 */
import type { Writable } from 'node:stream';
import { formatAmount } from '@wekeza/sdk';
import PDFDocument from 'pdfkit';
import { checkedLines, checkStatementHeader, type StatementHeader, type StatementLine } from './statement.ts';
import { CHUNK_BYTES, writeChunks } from './stream.ts';

/** Fonts to embed instead of the standard Helvetica: a TrueType/OpenType file path or its bytes. */
export interface PdfStatementFonts {
  regular: string | Uint8Array;
  bold: string | Uint8Array;
}

export interface PdfStatementOptions {
  fonts?: PdfStatementFonts;
}

// A4 portrait, in points.
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN = 40;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const ROW_HEIGHT = 13;
const TABLE_HEADER_HEIGHT = 18;
const FIRST_TABLE_TOP = 172;
const NEXT_TABLE_TOP = 62;
const TABLE_BOTTOM = PAGE_HEIGHT - 52;
const FOOTER_TOP = PAGE_HEIGHT - 34;
const TEXT_SIZE = 8.5;

/** Table rows on page 1 and on later pages; the first row of each is the opening or brought-forward balance. */
const FIRST_PAGE_ROWS = Math.floor((TABLE_BOTTOM - FIRST_TABLE_TOP - TABLE_HEADER_HEIGHT) / ROW_HEIGHT);
const NEXT_PAGE_ROWS = Math.floor((TABLE_BOTTOM - NEXT_TABLE_TOP - TABLE_HEADER_HEIGHT) / ROW_HEIGHT);
/** Rows the end needs on one page: closing balance, a gap, total in, total out. */
const CLOSING_ROWS = 4;

const COLUMNS = {
  date: { x: MARGIN, width: 56 },
  description: { x: MARGIN + 56, width: CONTENT_WIDTH - 56 - 3 * 80 },
  out: { x: PAGE_WIDTH - MARGIN - 3 * 80, width: 80 },
  in: { x: PAGE_WIDTH - MARGIN - 2 * 80, width: 80 },
  balance: { x: PAGE_WIDTH - MARGIN - 80, width: 80 },
} as const;
const CELL_PADDING = 4;

/** Pages of a statement of `lineCount` lines: the renderer fills pages by exactly this rule. */
export function pdfPageCount(lineCount: number): number {
  if (!Number.isSafeInteger(lineCount) || lineCount < 0) {
    throw new RangeError(`A line count is a non-negative integer, got ${lineCount}`);
  }
  let pages = 1;
  let free = FIRST_PAGE_ROWS - 1;
  let remaining = lineCount;
  while (remaining > free) {
    remaining -= free;
    pages += 1;
    free = NEXT_PAGE_ROWS - 1;
  }
  return free - remaining < CLOSING_ROWS ? pages + 1 : pages;
}

/** Streams the PDF statement to `out` and ends it. Rejects (and destroys `out`) on a mismatch. */
export async function renderPdfStatement(
  header: StatementHeader,
  lines: AsyncIterable<StatementLine> | Iterable<StatementLine>,
  out: Writable,
  options: PdfStatementOptions = {},
): Promise<void> {
  await writeChunks(pdfChunks(header, lines, options), out);
}

async function* pdfChunks(
  header: StatementHeader,
  lines: AsyncIterable<StatementLine> | Iterable<StatementLine>,
  options: PdfStatementOptions,
): AsyncGenerator<Uint8Array> {
  checkStatementHeader(header);
  const page = new StatementPages(header, options);
  for await (const line of checkedLines(header, lines)) {
    page.line(line);
    // pdfkit pushes each finished page into its readable side; reading it here, synchronously, and
    // yielding it hands it to the pipeline, which resumes this generator only when the output has room.
    if (page.doc.readableLength >= CHUNK_BYTES) yield page.take();
  }
  page.finish();
  yield page.take();
}

/** The document being drawn: where the next row goes, running totals, page numbers. */
class StatementPages {
  readonly doc: PDFKit.PDFDocument;
  private readonly header: StatementHeader;
  private readonly regular: string;
  private readonly bold: string;
  private readonly standardFonts: boolean;
  private readonly totalPages: number | undefined;
  private pageNumber = 1;
  private rowY = 0;
  private freeRows = 0;
  private balance: bigint;
  private moneyIn = 0n;
  private moneyOut = 0n;
  private credits = 0;
  private debits = 0;

  constructor(header: StatementHeader, options: PdfStatementOptions) {
    this.header = header;
    this.balance = header.openingBalance;
    this.totalPages = header.lineCount === undefined ? undefined : pdfPageCount(header.lineCount);
    this.doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      bufferPages: false,
      info: {
        Title: `Statement ${header.accountId} ${header.from} to ${header.to}`,
        Author: header.bankName,
        Subject: 'Account statement',
        CreationDate: header.generatedAt,
      },
    });
    if (options.fonts) {
      const { regular, bold } = options.fonts;
      this.doc.registerFont('regular', toFontSource(regular));
      this.regular = 'regular';
      // pdfkit re-reads a registered font on every switch to it when another name already holds the
      // same face, so one face given for both is registered once.
      if (bold === regular) {
        this.bold = 'regular';
      } else {
        this.doc.registerFont('bold', toFontSource(bold));
        this.bold = 'bold';
      }
      this.standardFonts = false;
    } else {
      this.regular = 'Helvetica';
      this.bold = 'Helvetica-Bold';
      this.standardFonts = true;
    }
    this.firstPage();
  }

  /** Whatever pdfkit has produced so far. */
  take(): Uint8Array {
    const chunk: Buffer | null = this.doc.read();
    return chunk ?? new Uint8Array(0);
  }

  line(line: StatementLine): void {
    if (this.freeRows === 0) this.nextPage();
    this.balance = line.balance;
    if (line.amount < 0n) {
      this.moneyOut -= line.amount;
      this.debits += 1;
    } else {
      this.moneyIn += line.amount;
      this.credits += 1;
    }
    this.row({
      date: line.date,
      description: line.description,
      out: line.amount < 0n ? this.figure(-line.amount) : '',
      in: line.amount >= 0n ? this.figure(line.amount) : '',
      balance: this.figure(line.balance),
    });
  }

  /** The closing rows, the last footer, and the end of the document. */
  finish(): void {
    if (this.freeRows < CLOSING_ROWS) this.nextPage();
    this.row({
      description: 'Closing balance',
      balance: this.figure(this.header.closingBalance),
      bold: true,
    });
    this.row({});
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
    this.row({
      description: `Total money in (${count(this.credits, 'credit')})`,
      in: this.figure(this.moneyIn),
    });
    this.row({
      description: `Total money out (${count(this.debits, 'debit')})`,
      out: this.figure(this.moneyOut),
    });
    this.footer();
    this.doc.end();
  }

  private firstPage(): void {
    const { doc, header } = this;
    doc.font(this.bold).fontSize(16).fillColor('black');
    this.put(header.bankName, MARGIN, MARGIN);
    doc.font(this.regular).fontSize(11).fillColor('#444444');
    this.put('Account statement', MARGIN, MARGIN + 22);
    const facts: [string, string][] = [
      ['Customer', header.customerName],
      ['Account', `${header.accountId} (${ACCOUNT_TYPE_NAMES[header.accountType]}, ${header.currency})`],
      ['Period', `${header.from} to ${header.to}`],
      ['Opening balance', `${header.currency} ${this.figure(header.openingBalance)}`],
      ['Closing balance', `${header.currency} ${this.figure(header.closingBalance)}`],
    ];
    let y = MARGIN + 48;
    for (const [label, value] of facts) {
      doc.font(this.bold).fontSize(9).fillColor('black');
      this.put(label, MARGIN, y);
      doc.font(this.regular);
      this.put(this.fit(value, CONTENT_WIDTH - 90), MARGIN + 90, y);
      y += 14;
    }
    this.tableHeader(FIRST_TABLE_TOP);
    this.freeRows = FIRST_PAGE_ROWS;
    this.row({
      date: this.header.from,
      description: 'Opening balance',
      balance: this.figure(this.balance),
      bold: true,
    });
  }

  private nextPage(): void {
    this.footer();
    this.forgetLayouts();
    this.doc.addPage();
    this.pageNumber += 1;
    const { doc, header } = this;
    doc.font(this.regular).fontSize(9).fillColor('#444444');
    this.put(
      this.fit(
        `${header.bankName} · Statement of ${header.accountId} · ${header.from} to ${header.to}`,
        CONTENT_WIDTH,
      ),
      MARGIN,
      MARGIN,
    );
    this.tableHeader(NEXT_TABLE_TOP);
    this.freeRows = NEXT_PAGE_ROWS;
    this.row({ description: 'Balance brought forward', balance: this.figure(this.balance), bold: true });
  }

  /**
   * An embedded font keeps the shaped layout of every distinct word it has drawn — every amount of every
   * line — so its cache would grow with the statement. Emptied at each page, it holds one page's words.
   * (pdfkit's `fontLayoutCache: false` would stop it growing too, but shapes every word afresh: 6× slower.)
   */
  private forgetLayouts(): void {
    if (this.standardFonts) return;
    const fonts = (this.doc as unknown as { _fontFamilies?: Record<string, { layoutCache?: object }> })
      ._fontFamilies;
    for (const font of Object.values(fonts ?? {})) {
      if (font.layoutCache) font.layoutCache = Object.create(null);
    }
  }

  private tableHeader(top: number): void {
    const { doc, header } = this;
    doc.rect(MARGIN, top, CONTENT_WIDTH, TABLE_HEADER_HEIGHT).fill('#e8ecef');
    doc.font(this.bold).fontSize(TEXT_SIZE).fillColor('black');
    const y = top + 5;
    this.put('Date', COLUMNS.date.x + CELL_PADDING, y);
    this.put('Description', COLUMNS.description.x + CELL_PADDING, y);
    this.right(`Money out (${header.currency})`, COLUMNS.out, y);
    this.right(`Money in (${header.currency})`, COLUMNS.in, y);
    this.right(`Balance (${header.currency})`, COLUMNS.balance, y);
    this.rowY = top + TABLE_HEADER_HEIGHT;
  }

  private row(cells: {
    date?: string;
    description?: string;
    out?: string;
    in?: string;
    balance?: string;
    bold?: boolean;
  }): void {
    const { doc } = this;
    const y = this.rowY + 3;
    doc
      .font(cells.bold ? this.bold : this.regular)
      .fontSize(TEXT_SIZE)
      .fillColor('black');
    if (cells.date) this.put(cells.date, COLUMNS.date.x + CELL_PADDING, y);
    if (cells.description) {
      this.put(
        this.fit(cells.description, COLUMNS.description.width - 2 * CELL_PADDING),
        COLUMNS.description.x + CELL_PADDING,
        y,
      );
    }
    if (cells.out) this.right(cells.out, COLUMNS.out, y);
    if (cells.in) this.right(cells.in, COLUMNS.in, y);
    if (cells.balance) this.right(cells.balance, COLUMNS.balance, y);
    this.rowY += ROW_HEIGHT;
    this.freeRows -= 1;
  }

  private footer(): void {
    const { doc, header } = this;
    doc.font(this.regular).fontSize(7.5).fillColor('#666666');
    doc
      .moveTo(MARGIN, FOOTER_TOP - 6)
      .lineTo(PAGE_WIDTH - MARGIN, FOOTER_TOP - 6)
      .lineWidth(0.5)
      .stroke('#999999');
    this.put(
      `Generated ${header.generatedAt.toISOString()} by ${this.fit(header.bankName, 250)}`,
      MARGIN,
      FOOTER_TOP,
    );
    const pages = this.totalPages === undefined ? '' : ` of ${this.totalPages}`;
    this.right(
      `Page ${this.pageNumber}${pages}`,
      { x: MARGIN, width: CONTENT_WIDTH + CELL_PADDING },
      FOOTER_TOP,
    );
  }

  /** Text at a point, on one line (no wrapping: pdfkit's fast path, and no page break). */
  private put(text: string, x: number, y: number): void {
    this.doc.text(this.printable(text), x, y, { lineBreak: false });
  }

  /** Text right-aligned in a column. */
  private right(text: string, column: { x: number; width: number }, y: number): void {
    const printable = this.printable(text);
    const width = this.doc.widthOfString(printable);
    this.doc.text(printable, column.x + column.width - CELL_PADDING - width, y, { lineBreak: false });
  }

  /** `text` cut with an ellipsis to fit `width` in the current font. */
  private fit(text: string, width: number): string {
    const printable = this.printable(text);
    if (this.doc.widthOfString(printable) <= width) return printable;
    const characters = Array.from(printable);
    let low = 0;
    let high = characters.length;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (this.doc.widthOfString(`${characters.slice(0, middle).join('')}…`) <= width) low = middle;
      else high = middle - 1;
    }
    return `${characters.slice(0, low).join('').trimEnd()}…`;
  }

  /** One line of text the current fonts can show: control characters and line breaks become spaces. */
  private printable(text: string): string {
    const oneLine = text.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ');
    return this.standardFonts ? toWinAnsi(oneLine) : oneLine;
  }

  /** Minor units as a grouped decimal: 1234567n KES → "12,345.67". */
  private figure(minor: bigint): string {
    const plain = formatAmount(minor, this.header.currency);
    const [whole = '', fraction] = plain.split('.');
    const sign = whole.startsWith('-') ? '-' : '';
    const grouped = whole.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return `${sign}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
  }
}

const ACCOUNT_TYPE_NAMES = {
  wallet: 'wallet',
  savings: 'savings account',
  fixed_deposit: 'fixed deposit',
} as const;

function toFontSource(font: string | Uint8Array): string | Buffer {
  return typeof font === 'string' ? font : Buffer.from(font.buffer, font.byteOffset, font.byteLength);
}

/** The characters beyond Latin-1 that Windows-1252 (the standard PDF fonts' encoding) also has. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

function isWinAnsi(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(character);
}

/** Maps text onto Windows-1252: letters with marks it lacks lose the marks (ũ → u, ő → o), anything else becomes "?". */
export function toWinAnsi(text: string): string {
  let result = '';
  for (const character of text) {
    if (isWinAnsi(character)) {
      result += character;
      continue;
    }
    const base = Array.from(character.normalize('NFKD')).filter(
      (part) => !/\p{M}/u.test(part) && isWinAnsi(part),
    );
    result += base.length > 0 ? base.join('') : '?';
  }
  return result;
}
