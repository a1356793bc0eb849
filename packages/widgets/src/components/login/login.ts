import { html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { WekezaElement } from '../../core/element.ts';
import { describeError } from '../../core/errors.ts';
import type { AccessToken } from '../../core/types.ts';

/**
 * Sign-in with phone or e-mail and password; exchanges them for an access token through the SDK
 * (`client.auth.token`). On success it fires `wk-success` with the token: the host stores it where
 * it keeps sessions and sets it on `<wk-provider token>`. The password never leaves the widget
 * except to the SDK, and is cleared after every attempt.
 *
 * @fires wk-ready - The form is shown.
 * @fires wk-success - Signed in (detail: `{ kind: 'login', resource: AccessToken, token }`).
 * @fires wk-error - Sign-in failed (detail: code, localized message, problem).
 * @fires wk-step-up-required - The account needs a one-time code; call `detail.retry(otp)`.
 *
 * @csspart base - The card (a `<form>`).
 * @csspart heading - The title.
 * @csspart label - Each field label.
 * @csspart username-input - The phone/e-mail input.
 * @csspart password-input - The password input.
 * @csspart submit-button - The sign-in button.
 * @csspart status - The polite live region (success).
 * @csspart error - The error message (role=alert).
 *
 * @cssprop --wk-color-primary - Sign-in button.
 * @cssprop --wk-color-on-primary - Sign-in button text.
 * @cssprop --wk-color-danger - Errors.
 * @cssprop --wk-color-focus - Focus ring.
 */
export class WkLogin extends WekezaElement {
  static override properties: PropertyDeclarations = {
    username: { type: String },
    busy: { state: true },
    error: { state: true },
    fieldErrors: { state: true },
    status: { state: true },
  };

  /** Prefills the phone/e-mail field. */
  declare username: string;
  declare private busy: boolean;
  declare private error: string;
  declare private fieldErrors: { username?: string; password?: string };
  declare private status: string;

  constructor() {
    super();
    this.username = '';
    this.busy = false;
    this.error = '';
    this.fieldErrors = {};
    this.status = '';
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.messages !== undefined) this.markReady();
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const form = event.currentTarget as HTMLFormElement;
    const username = (form.elements.namedItem('username') as HTMLInputElement).value.trim();
    const passwordInput = form.elements.namedItem('password') as HTMLInputElement;
    const password = passwordInput.value;
    this.error = '';
    this.status = '';
    this.fieldErrors = {
      ...(username === '' ? { username: this.t('field.username.required') } : {}),
      ...(password === '' ? { password: this.t('field.password.required') } : {}),
    };
    if (this.fieldErrors.username || this.fieldErrors.password) {
      await this.updateComplete;
      (this.renderRoot.querySelector('[aria-invalid="true"]') as HTMLElement | null)?.focus();
      return;
    }
    this.username = username;
    await this.#attempt(username, password, undefined);
    passwordInput.value = '';
  }

  async #attempt(username: string, password: string, otp: string | undefined): Promise<void> {
    this.busy = true;
    const client = await this.whenClient();
    if (!client) {
      this.busy = false;
      this.error = this.reportError(undefined, 'no_client').message;
      return;
    }
    try {
      const token: AccessToken = await client.auth.token({
        grantType: 'password',
        username,
        password,
        ...(otp !== undefined ? { otp } : {}),
      });
      this.status = this.t('login.success');
      this.emit('wk-success', { kind: 'login', resource: token, token: token.accessToken });
    } catch (error) {
      const described = describeError(error);
      if (described.code === 'mfa_required' && described.problem) {
        this.status = this.t('transfer.stepUp');
        this.emit('wk-step-up-required', {
          problem: described.problem,
          retry: (code: string) => this.#attempt(username, password, code),
          cancel: () => {
            this.status = '';
          },
        });
      } else {
        const reported = this.reportError(error);
        this.error = described.code === 'unauthenticated' ? this.t('login.failed') : reported.message;
      }
    } finally {
      this.busy = false;
    }
  }

  protected override render() {
    if (this.messages === undefined) return nothing;
    const { username: usernameError, password: passwordError } = this.fieldErrors;
    return html`
      <form part="base" novalidate aria-labelledby="title" @submit=${this.#submit}>
        <h2 id="title" part="heading">${this.t('login.title')}</h2>
        <div class="field">
          <label part="label" for="username">${this.t('login.username')}</label>
          <input
            id="username"
            name="username"
            part="username-input"
            type="text"
            autocomplete="username"
            inputmode="email"
            .value=${this.username}
            aria-invalid=${usernameError ? 'true' : 'false'}
            aria-describedby=${usernameError ? 'username-error' : nothing}
          />
          ${usernameError ? html`<p id="username-error" class="field-error">${usernameError}</p>` : nothing}
        </div>
        <div class="field">
          <label part="label" for="password">${this.t('login.password')}</label>
          <input
            id="password"
            name="password"
            part="password-input"
            type="password"
            autocomplete="current-password"
            aria-invalid=${passwordError ? 'true' : 'false'}
            aria-describedby=${passwordError ? 'password-error' : nothing}
          />
          ${passwordError ? html`<p id="password-error" class="field-error">${passwordError}</p>` : nothing}
        </div>
        <p part="error" role="alert">${this.error}</p>
        <div class="actions">
          <button part="submit-button" type="submit" aria-busy=${this.busy ? 'true' : 'false'}>
            ${this.busy ? this.t('login.submitting') : this.t('login.submit')}
          </button>
        </div>
        <p part="status" role="status" aria-live="polite">${this.status}</p>
      </form>
    `;
  }
}
