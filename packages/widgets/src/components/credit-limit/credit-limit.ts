import { isCurrencyCode } from '@wekeza/sdk';
import { css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { reasonKeys } from '../../core/borrow.ts';
import { WekezaElement } from '../../core/element.ts';
import type { CreditLimit } from '../../core/types.ts';
import type { MessageKey } from '../../i18n/index.ts';

type State =
  | { status: 'loading' }
  | { status: 'error'; message: string; requestId?: string | undefined }
  | { status: 'ready'; limit: CreditLimit };

/**
 * What the customer may borrow now (`GET /v1/credit-limit`, scored in real time): the limit, the
 * credit score out of 1000 with its band, the top reasons in plain language (English or Swahili,
 * never the model's technical text) and, for each, what the customer can do to improve. Declined,
 * referred and thin-file limits say so. Refreshes itself after a loan or repayment inside the same
 * provider.
 *
 * @fires wk-ready - The limit is shown.
 * @fires wk-error - Loading failed (detail: code, localized message, problem).
 *
 * @csspart base - The card.
 * @csspart heading - The title.
 * @csspart limit - The amount the customer can borrow (the big number).
 * @csspart notice - The declined / referred / starter-limit message.
 * @csspart score - The score line ("642 of 1000").
 * @csspart meter - The score meter (0–1000).
 * @csspart band - The score band ("Very good").
 * @csspart exposure - What is already borrowed.
 * @csspart reasons - The list of reasons.
 * @csspart reason - One reason (its text and what to do).
 * @csspart improve - The "what you can do" text of a reason.
 * @csspart refresh-button - The refresh button.
 * @csspart status - The polite live region.
 * @csspart error - The error message (role=alert).
 * @csspart skeleton - The loading placeholder.
 *
 * @cssprop --wk-color-primary - The meter and the refresh button.
 * @cssprop --wk-color-background - Card background.
 * @cssprop --wk-color-surface - Reason boxes.
 * @cssprop --wk-color-text - Text.
 * @cssprop --wk-color-text-muted - Labels.
 * @cssprop --wk-color-danger - Error text.
 * @cssprop --wk-font-family - Font.
 * @cssprop --wk-border-radius - Corners.
 */
export class WkCreditLimit extends WekezaElement {
  static override styles = [
    ...WekezaElement.styles,
    css`
      .amount {
        font-size: 2em;
        font-weight: 700;
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: calc(var(--_wk-space) * 1) calc(var(--_wk-space) * 4);
        margin: 0;
        margin-block-end: calc(var(--_wk-space) * 3);
      }
      dt {
        color: var(--_wk-muted);
      }
      dd {
        margin: 0;
      }
      meter {
        inline-size: 100%;
        block-size: 0.75em;
        accent-color: var(--_wk-primary);
      }
      h3 {
        font-size: 1em;
        margin-block: calc(var(--_wk-space) * 3) calc(var(--_wk-space) * 2);
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: calc(var(--_wk-space) * 2);
      }
      li {
        background: var(--_wk-surface);
        border-radius: var(--_wk-radius);
        padding: calc(var(--_wk-space) * 3);
      }
      li p {
        margin: 0;
      }
      [part~='improve'] {
        color: var(--_wk-muted);
      }
      [part~='notice'] {
        font-weight: 600;
      }
      [part~='skeleton'] {
        block-size: 6em;
        border-radius: var(--_wk-radius);
        background: var(--_wk-surface);
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    currency: { type: String, reflect: true },
    state: { state: true },
    announcement: { state: true },
  };

  /** The currency to score for (default: the bank's home currency). */
  declare currency: string | undefined;
  declare private state: State;
  declare private announcement: string;

  #generation = 0;
  #loadedFor: unknown[] = [];

  constructor() {
    super();
    this.state = { status: 'loading' };
    this.announcement = '';
  }

  /** Scores the customer again and shows the result. */
  async refresh(): Promise<void> {
    const client = this.activeClient;
    const generation = ++this.#generation;
    if (!client) {
      this.state = { status: 'error', message: this.reportError(undefined, 'no_client').message };
      return;
    }
    if (this.state.status !== 'ready') this.state = { status: 'loading' };
    try {
      const currency = this.currency?.toUpperCase();
      const limit = await client.creditLimit.retrieve(
        currency !== undefined && isCurrencyCode(currency) ? { currency } : undefined,
      );
      if (generation !== this.#generation) return;
      const wasReady = this.state.status === 'ready';
      this.state = { status: 'ready', limit };
      if (wasReady) this.announcement = this.t('limit.updated');
      this.markReady();
    } catch (error) {
      if (generation !== this.#generation) return;
      const reported = this.reportError(error);
      this.state = { status: 'error', message: reported.message, requestId: reported.requestId };
    }
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (this.messages === undefined || this.clientPending) return;
    const key = [this.activeClient, this.currency, this.environment?.revision];
    if (this.#loadedFor.length === 0 || key.some((value, index) => value !== this.#loadedFor[index])) {
      this.#loadedFor = key;
      void this.refresh();
    }
  }

  #renderReady(limit: CreditLimit) {
    const notice =
      limit.decision === 'declined'
        ? this.t('limit.declined')
        : limit.decision === 'referred'
          ? this.t('limit.referred')
          : limit.thinFile
            ? this.t('limit.thinFile')
            : '';
    const bandKey = `band.${limit.grade}` as MessageKey;
    const band = this.messages?.[bandKey] !== undefined ? this.t(bandKey) : limit.grade;
    return html`
      <p class="muted">${this.t('limit.limit')}</p>
      <p part="limit" class="amount">${this.money(limit.limit)}</p>
      ${notice ? html`<p part="notice">${notice}</p>` : nothing}
      <dl>
        <dt id="score-label">${this.t('limit.score')}</dt>
        <dd part="score">${this.t('limit.scoreValue', { score: limit.score })}</dd>
        <dt>${this.t('limit.band')}</dt>
        <dd part="band">${band}</dd>
        <dt>${this.t('limit.exposure')}</dt>
        <dd part="exposure">${this.money(limit.exposure)}</dd>
      </dl>
      <meter
        part="meter"
        min="0"
        max="1000"
        low="460"
        high="620"
        optimum="1000"
        .value=${limit.score}
        aria-labelledby="score-label"
        aria-valuetext=${this.t('limit.scoreValue', { score: limit.score })}
      ></meter>
      <h3>${this.t('limit.reasons')}</h3>
      ${
        limit.reasons.length === 0
          ? html`<p class="muted">${this.t('limit.noReasons')}</p>`
          : html`<ul part="reasons">
              ${limit.reasons.map((reason) => {
                const keys = reasonKeys(reason, this.messages);
                return html`<li part="reason" data-code=${reason.code}>
                  <p>${this.t(keys.reason)}</p>
                  <p part="improve"><strong>${this.t('limit.improve')}:</strong> ${this.t(keys.improve)}</p>
                </li>`;
              })}
            </ul>`
      }
      <p class="muted">${this.t('limit.asOf', { date: this.date(limit.bankDate) })}</p>
    `;
  }

  protected override render() {
    if (this.messages === undefined) return nothing;
    const state = this.state;
    return html`
      <section part="base" aria-labelledby="title" aria-busy=${state.status === 'loading' ? 'true' : 'false'}>
        <h2 id="title" part="heading">${this.t('limit.title')}</h2>
        ${
          state.status === 'loading'
            ? html`<div part="skeleton" role="status">
                <span class="visually-hidden">${this.t('limit.loading')}</span>
              </div>`
            : state.status === 'error'
              ? html`<p part="error" role="alert">${state.message}</p>
                  ${
                    state.requestId
                      ? html`<p class="muted">${this.t('error.reference', { requestId: state.requestId })}</p>`
                      : nothing
                  }`
              : this.#renderReady(state.limit)
        }
        <div class="actions">
          <button
            part="refresh-button"
            class="secondary"
            type="button"
            ?disabled=${state.status === 'loading'}
            @click=${() => this.refresh()}
          >
            ${state.status === 'error' ? this.t('common.retry') : this.t('common.refresh')}
          </button>
        </div>
        <p part="status" class="visually-hidden" role="status" aria-live="polite">${this.announcement}</p>
      </section>
    `;
  }
}
