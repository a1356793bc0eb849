import type { Money } from '@wekeza/sdk';
import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { formatAmountText, parseAmountText } from '../../core/amount-format.ts';
import { WekezaElement } from '../../core/element.ts';

/**
 * A money input: a thin element over one value pipeline (after lion's input-amount). What the
 * customer types is parsed (`parseAmountText`: pure, locale-aware, rounds half-up to the currency's
 * minor digits) into the model `value` (a `Money`, never a `Number`); on blur the text is
 * re-formatted from the model (`formatAmountText`). `inputmode="decimal"` brings up the numeric
 * keypad. Form-associated: inside a `<form>` it submits its canonical decimal string under `name`,
 * and Enter submits the form.
 *
 * @fires wk-change - The typed text changed (detail: `value` — Money or undefined while unparsable — and `text`).
 *
 * @csspart label - The visible label.
 * @csspart input - The text input.
 * @csspart currency - The currency code shown beside the input.
 * @csspart error - The error message under the input.
 * @csspart hint - The hint under the input.
 *
 * @cssprop --wk-color-surface - Input background.
 * @cssprop --wk-color-border - Input border.
 * @cssprop --wk-color-focus - Focus ring.
 * @cssprop --wk-color-danger - Error text and border.
 */
export class WkAmountInput extends WekezaElement {
  static formAssociated = true;
  static override shadowRootOptions: ShadowRootInit = {
    ...WekezaElement.shadowRootOptions,
    delegatesFocus: true,
  };

  static override properties: PropertyDeclarations = {
    currency: { type: String },
    label: { type: String },
    name: { type: String },
    hint: { type: String },
    error: { type: String },
    required: { type: Boolean },
    disabled: { type: Boolean },
    value: { attribute: false },
    text: { state: true },
  };

  /** ISO 4217 code (default `KES`); decides the minor digits. */
  declare currency: string;
  /** The visible label (wired to the input). */
  declare label: string;
  /** Form field name. */
  declare name: string;
  /** Help text under the input. */
  declare hint: string;
  /** An error to show (sets `aria-invalid` and is announced). */
  declare error: string;
  declare required: boolean;
  declare disabled: boolean;
  /** The model value: a Money in `currency`, or undefined when empty or unparsable. */
  declare value: Money | undefined;
  declare private text: string;

  #internals: ElementInternals;
  #focused = false;

  constructor() {
    super();
    this.currency = 'KES';
    this.label = '';
    this.name = '';
    this.hint = '';
    this.error = '';
    this.required = false;
    this.disabled = false;
    this.value = undefined;
    this.text = '';
    this.#internals = this.attachInternals();
  }

  /** The text the customer typed (or the formatted value). */
  get displayText(): string {
    return this.text;
  }

  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector('input')?.focus(options);
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // A value set from outside (or a new locale) is shown formatted, unless the customer is typing.
    if ((changed.has('value') || changed.has('messages') || changed.has('currency')) && !this.#focused) {
      if (this.value !== undefined && this.value.currency === this.currency) {
        this.text = formatAmountText(this.value, this.intlLocale);
      } else if (changed.has('value') && this.value === undefined && changed.get('value') !== undefined) {
        this.text = '';
      }
    }
    this.#internals.setFormValue(this.value?.toDecimalString() ?? null);
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const input = this.renderRoot.querySelector('input');
    if (this.error) this.#internals.setValidity({ customError: true }, this.error, input ?? undefined);
    else if (this.required && this.value === undefined)
      this.#internals.setValidity({ valueMissing: true }, this.error || ' ', input ?? undefined);
    else this.#internals.setValidity({});
  }

  #onInput(event: Event): void {
    this.text = (event.target as HTMLInputElement).value;
    this.value = parseAmountText(this.text, this.currency, this.intlLocale);
    this.emit('wk-change', { value: this.value, text: this.text });
  }

  #onFocus(): void {
    this.#focused = true;
  }

  #onBlur(): void {
    this.#focused = false;
    if (this.value !== undefined) this.text = formatAmountText(this.value, this.intlLocale);
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      const form = this.#internals.form;
      if (form) {
        event.preventDefault();
        form.requestSubmit();
      }
    }
  }

  protected override render() {
    const described = [this.error ? 'error' : '', this.hint ? 'hint' : ''].filter(Boolean).join(' ');
    return html`
      <div class="field">
        <label part="label" for="input">${this.label}</label>
        <input
          id="input"
          part="input"
          type="text"
          inputmode="decimal"
          autocomplete="off"
          spellcheck="false"
          .value=${this.text}
          ?required=${this.required}
          ?disabled=${this.disabled}
          aria-invalid=${this.error ? 'true' : 'false'}
          aria-describedby=${described || nothing}
          @input=${this.#onInput}
          @focus=${this.#onFocus}
          @blur=${this.#onBlur}
          @keydown=${this.#onKeydown}
        />
        <span part="currency" class="visually-hidden">${this.currency}</span>
        ${this.hint ? html`<p id="hint" part="hint" class="muted">${this.hint}</p>` : nothing}
        <p id="error" part="error" class="field-error" aria-live="polite">${this.error}</p>
      </div>
    `;
  }
}
