import { css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { WekezaElement } from '../../core/element.ts';
import type { Account, Statement } from '../../core/types.ts';
import type { MessageKey } from '../../i18n/index.ts';

type View =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; accounts: Account[] };

type Shown = { state: 'none' } | { state: 'loading' } | { state: 'ready'; statement: Statement };

/** Today's date in the bank's time zone (Nairobi), `YYYY-MM-DD`. */
export function bankToday(timeZone = 'Africa/Nairobi', now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * An account statement: pick an account and a period, see the opening balance, each line with its
 * running balance and the closing balance, and download it as CSV or PDF (the bank renders the
 * files; the widget saves what the SDK's download helper reads). Bank dates: the period defaults to
 * this month so far (Nairobi).
 *
 * @fires wk-ready - The accounts are loaded.
 * @fires wk-success - A file was downloaded (`{ kind: 'statement-downloaded', format, fileName, accountId }`).
 * @fires wk-error - Loading, showing or downloading failed (detail: code, localized message, problem).
 *
 * @csspart base - The card.
 * @csspart heading - The title.
 * @csspart account-select - The account picker.
 * @csspart from-input - The first day.
 * @csspart to-input - The last day.
 * @csspart show-button - Shows the statement.
 * @csspart summary - Opening and closing balances.
 * @csspart table - The statement lines.
 * @csspart row - Each line.
 * @csspart csv-button - Downloads CSV.
 * @csspart pdf-button - Downloads PDF.
 * @csspart retry-button - Loads again after an error.
 * @csspart status - The polite live region.
 * @csspart error - The error (role=alert).
 *
 * @cssprop --wk-color-primary - Buttons.
 * @cssprop --wk-color-surface - Inputs.
 * @cssprop --wk-color-border - Borders and table rules.
 * @cssprop --wk-color-success - Money in.
 * @cssprop --wk-color-danger - Errors.
 */
export class WkStatement extends WekezaElement {
  static override styles = [
    ...WekezaElement.styles,
    css`
      .period {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
        gap: calc(var(--_wk-space) * 3);
      }
      .table-wrap {
        overflow-x: auto;
      }
      table {
        inline-size: 100%;
        border-collapse: collapse;
        font-variant-numeric: tabular-nums;
      }
      th,
      td {
        padding: calc(var(--_wk-space) * 2);
        text-align: start;
        border-block-end: 1px solid var(--_wk-border);
      }
      .num {
        text-align: end;
        white-space: nowrap;
      }
      dl {
        display: grid;
        grid-template-columns: 1fr max-content;
        gap: calc(var(--_wk-space) * 1) calc(var(--_wk-space) * 4);
      }
      dt {
        color: var(--_wk-muted);
      }
      dd {
        margin: 0;
        text-align: end;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    accountId: { type: String, attribute: 'account-id' },
    from: { type: String },
    to: { type: String },
    view: { state: true },
    shown: { state: true },
    chosen: { state: true },
    fromDate: { state: true },
    toDate: { state: true },
    formError: { state: true },
    status: { state: true },
    busy: { state: true },
  };

  /** The account to preselect (default: the wallet). */
  declare accountId: string | undefined;
  /** The first day, `YYYY-MM-DD` (default: the first of this month). */
  declare from: string | undefined;
  /** The last day, `YYYY-MM-DD`, at most today (default: today). */
  declare to: string | undefined;
  declare private view: View;
  declare private shown: Shown;
  declare private chosen: string;
  declare private fromDate: string;
  declare private toDate: string;
  declare private formError: string;
  declare private status: string;
  declare private busy: boolean;

  #loadedFor: unknown[] = [];
  #generation = 0;

  constructor() {
    super();
    this.accountId = undefined;
    this.from = undefined;
    this.to = undefined;
    this.view = { state: 'loading' };
    this.shown = { state: 'none' };
    this.chosen = '';
    const today = bankToday();
    this.fromDate = `${today.slice(0, 8)}01`;
    this.toDate = today;
    this.formError = '';
    this.status = '';
    this.busy = false;
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('from') && this.from && DATE.test(this.from)) this.fromDate = this.from;
    if (changed.has('to') && this.to && DATE.test(this.to)) this.toDate = this.to;
    if (this.messages === undefined || this.clientPending) return;
    const key = [this.activeClient, this.environment?.revision];
    if (this.#loadedFor.length === 0 || key.some((value, index) => value !== this.#loadedFor[index])) {
      this.#loadedFor = key;
      void this.#load();
    }
  }

  async #load(): Promise<void> {
    const client = this.activeClient;
    const generation = ++this.#generation;
    if (!client) {
      this.view = { state: 'error', message: this.reportError(undefined, 'no_client').message };
      return;
    }
    try {
      const page = await client.accounts.list({ limit: 100 });
      if (generation !== this.#generation) return;
      const accounts = page.data;
      const first = this.view.state !== 'ready';
      this.view = { state: 'ready', accounts };
      if (first || !accounts.some((a) => a.id === this.chosen)) {
        this.chosen =
          accounts.find((a) => a.id === this.accountId)?.id ??
          accounts.find((a) => a.type === 'wallet' && a.status === 'open')?.id ??
          accounts[0]?.id ??
          '';
      }
      this.markReady();
      if (this.shown.state === 'ready') void this.#show();
    } catch (error) {
      if (generation !== this.#generation) return;
      this.view = { state: 'error', message: this.reportError(error).message };
    }
  }

  #period(): { from: string; to: string } | undefined {
    if (!DATE.test(this.fromDate) || !DATE.test(this.toDate) || this.fromDate > this.toDate) {
      this.formError = this.t('statement.badPeriod');
      return undefined;
    }
    this.formError = '';
    return { from: this.fromDate, to: this.toDate };
  }

  async #show(event?: Event): Promise<void> {
    event?.preventDefault();
    const client = this.activeClient;
    const period = this.#period();
    if (!client || !period || !this.chosen || this.busy) return;
    this.busy = true;
    this.shown = { state: 'loading' };
    try {
      const statement = await client.statements.retrieve(this.chosen, period);
      this.shown = { state: 'ready', statement };
      this.status = this.t('statement.period', {
        from: this.date(statement.from),
        to: this.date(statement.to),
      });
    } catch (error) {
      this.shown = { state: 'none' };
      this.#fail(error);
    } finally {
      this.busy = false;
    }
  }

  async #download(format: 'csv' | 'pdf'): Promise<void> {
    const client = this.activeClient;
    const period = this.#period();
    if (!client || !period || !this.chosen || this.busy) return;
    this.busy = true;
    this.status = this.t('statement.downloading');
    try {
      const file = await client.statements.download(this.chosen, { ...period, format });
      const fileName = file.fileName ?? `statement-${period.from}-${period.to}.${format}`;
      const url = URL.createObjectURL(await file.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.hidden = true;
      this.renderRoot.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30_000);
      this.status = this.t('statement.downloaded', { name: fileName });
      this.emit('wk-success', { kind: 'statement-downloaded', format, fileName, accountId: this.chosen });
    } catch (error) {
      this.status = '';
      this.#fail(error);
    } finally {
      this.busy = false;
    }
  }

  #fail(error: unknown): void {
    const reported = this.reportError(error);
    this.formError = reported.requestId
      ? `${reported.message} ${this.t('error.reference', { requestId: reported.requestId })}`
      : reported.message;
  }

  #accountLabel(account: Account): string {
    return `${this.t(`account.${account.type}` as MessageKey)} ••${account.id.slice(-4)} · ${account.currency}`;
  }

  #renderStatement(statement: Statement) {
    return html`<dl part="summary">
        <dt>${this.t('statement.opening')}</dt>
        <dd>${this.money(statement.openingBalance)}</dd>
        <dt>${this.t('statement.closing')}</dt>
        <dd>${this.money(statement.closingBalance)}</dd>
      </dl>
      ${
        statement.lines.length === 0
          ? html`<p class="muted">${this.t('statement.empty')}</p>`
          : html`<div class="table-wrap">
              <table part="table">
                <caption class="visually-hidden">
                  ${this.t('statement.period', { from: this.date(statement.from), to: this.date(statement.to) })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${this.t('statement.date')}</th>
                    <th scope="col">${this.t('statement.description')}</th>
                    <th scope="col" class="num">${this.t('statement.amount')}</th>
                    <th scope="col" class="num">${this.t('statement.balance')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${statement.lines.map(
                    (line) => html`<tr part="row">
                      <td>${this.date(line.date)}</td>
                      <td>${line.description}</td>
                      <td class="num">${this.money(line.amount, 'exceptZero')}</td>
                      <td class="num">${this.money(line.balance)}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }`;
  }

  protected override render() {
    if (this.messages === undefined) return nothing;
    const view = this.view;
    let body: unknown;
    if (view.state === 'loading') body = html`<p class="muted" role="status">${this.t('common.loading')}</p>`;
    else if (view.state === 'error')
      body = html`<div class="actions">
        <button part="retry-button" class="secondary" type="button" @click=${() => this.#load()}>
          ${this.t('common.retry')}
        </button>
      </div>`;
    else if (view.accounts.length === 0) body = html`<p class="muted">${this.t('statement.noAccounts')}</p>`;
    else
      body = html`<div class="field">
          <label part="label" for="account">${this.t('statement.account')}</label>
          <select
            id="account"
            part="account-select"
            @change=${(e: Event) => {
              this.chosen = (e.target as HTMLSelectElement).value;
              this.shown = { state: 'none' };
            }}
          >
            ${view.accounts.map(
              (a) =>
                html`<option value=${a.id} ?selected=${a.id === this.chosen}>${this.#accountLabel(a)}</option>`,
            )}
          </select>
        </div>
        <div class="period">
          <div class="field">
            <label part="label" for="from">${this.t('statement.from')}</label>
            <input
              id="from"
              part="from-input"
              type="text"
              inputmode="numeric"
              autocomplete="off"
              placeholder="YYYY-MM-DD"
              aria-describedby="date-hint"
              .value=${this.fromDate}
              @input=${(e: Event) => {
                this.fromDate = (e.target as HTMLInputElement).value.trim();
              }}
            />
          </div>
          <div class="field">
            <label part="label" for="to">${this.t('statement.to')}</label>
            <input
              id="to"
              part="to-input"
              type="text"
              inputmode="numeric"
              autocomplete="off"
              placeholder="YYYY-MM-DD"
              aria-describedby="date-hint"
              .value=${this.toDate}
              @input=${(e: Event) => {
                this.toDate = (e.target as HTMLInputElement).value.trim();
              }}
            />
          </div>
        </div>
        <p id="date-hint" class="muted">${this.t('statement.dateHint')}</p>
        <div class="actions">
          <button part="show-button" type="submit" aria-busy=${this.busy ? 'true' : 'false'}>${this.t('statement.show')}</button>
          <button part="csv-button" class="secondary" type="button" @click=${() => this.#download('csv')}>
            ${this.t('statement.csv')}
          </button>
          <button part="pdf-button" class="secondary" type="button" @click=${() => this.#download('pdf')}>
            ${this.t('statement.pdf')}
          </button>
        </div>
        ${
          this.shown.state === 'loading'
            ? html`<p class="muted">${this.t('statement.loading')}</p>`
            : this.shown.state === 'ready'
              ? this.#renderStatement(this.shown.statement)
              : nothing
        }`;
    const error = view.state === 'error' ? view.message : this.formError;
    return html`<form part="base" novalidate aria-labelledby="title" @submit=${this.#show}>
      <h2 id="title" part="heading" tabindex="-1">${this.t('statement.title')}</h2>
      ${body}
      <p part="error" role="alert">${error}</p>
      <p part="status" role="status" aria-live="polite">${this.status}</p>
    </form>`;
  }
}
