import type { Clock } from '../../clock.ts';
import type { Database, Db } from '../../db/database.ts';
import { transaction } from '../../db/transaction.ts';
import { conflict, DomainError, mfaRequired, unauthenticated } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { MfaService } from '../mfa/service.ts';
import { clientBucket, type Guesses, signInBucket } from './guesses.ts';
import { type ClientAuthentication, invalidClient, invalidGrant, OAuthError } from './oauth.ts';
import { hashSecret, verifyAgainstDecoy, verifySecret } from './passwords.ts';
import type { RefreshTokens } from './refresh.ts';
import type { PrincipalRole, TokenService } from './tokens.ts';

/** Who is calling, as every service sees it after authentication. */
export interface Principal {
  id: string;
  role: PrincipalRole;
  /**
   * The scopes that narrow this token: a widget session's grant, or `mfa me:read` for a staff
   * member who must enrol a second factor first. Absent for ordinary tokens (their role decides).
   */
  scopes?: readonly string[] | undefined;
  /** A widget session's one origin. */
  origin?: string | undefined;
  /** The widget session id and the partner that minted it. */
  sessionId?: string | undefined;
  partnerId?: string | undefined;
  /** The access token's id and expiry (for logout and RFC 7009 revocation). */
  tokenId?: string | undefined;
  tokenExpiresAt?: number | undefined;
  /** The request being served (kept in audit events). */
  requestId?: string | undefined;
}

export interface Grant {
  accessToken: string;
  expiresIn: number;
  refreshToken?: string;
  /** Present when the token is narrower than the role (see Principal.scopes). */
  scope?: string;
}

export interface SignupInput {
  phone: string;
  email: string;
  password: string;
  fullName: string;
  nationalId?: string | undefined;
  /** YYYY-MM-DD; optional (age-banded insurance cover needs it). */
  dateOfBirth?: string | undefined;
}

export type User = NonNullable<Awaited<ReturnType<Db['user']['findUnique']>>>;
export type PartnerClientRow = NonNullable<Awaited<ReturnType<Db['partnerClient']['findUnique']>>>;

/** The currency every new customer's wallet is opened in. */
export const HOME_CURRENCY = 'KES';

/** What a staff member without a second factor may do in production: enrol one, and see who they are. */
export const ENROLMENT_SCOPE = 'mfa me:read';

export const normaliseEmail = (email: string) => email.trim().toLowerCase();
const typedName = (username: string) => (username.includes('@') ? normaliseEmail(username) : username.trim());

const wrongPassword = () => unauthenticated('Wrong username or password.');
/** A wrong password when re-authenticating: 403, not 401, which a client would read as "sign in again". */
class PasswordNotConfirmed extends DomainError {
  constructor() {
    super(403, 'forbidden', 'Forbidden', 'The password is wrong.');
  }
}
const isWrongPassword = (error: unknown) =>
  error instanceof DomainError && (error.code === 'unauthenticated' || error.code === 'mfa_required');

export class IdentityService {
  constructor(
    private readonly database: Database,
    private readonly tokens: TokenService,
    private readonly accounts: AccountsService,
    private readonly clock: Clock,
    private readonly refresh: RefreshTokens,
    private readonly mfa: MfaService,
    private readonly guesses: Guesses,
    /** Production: bankers and admins must sign in with a second factor. */
    private readonly staffNeedSecondFactor: boolean,
  ) {}

  private get db(): Db {
    return this.database.prisma;
  }

  /** Hashing is slow on purpose, so it happens before the transaction opens. */
  hashPassword(password: string): Promise<string> {
    return hashSecret(password);
  }

  /** Opens a customer: KYC tier 1 with a national ID, else 0, and a wallet in the home currency. */
  async signup(tx: Db, input: SignupInput, passwordHash: string): Promise<{ user: User; walletId: string }> {
    const email = normaliseEmail(input.email);
    const taken = await tx.user.findFirst({
      where: { OR: [{ email }, { phone: input.phone }] },
      select: { email: true },
    });
    if (taken)
      throw conflict(
        taken.email === email
          ? 'That e-mail address is already registered.'
          : 'That phone number is already registered.',
      );
    const user = await tx.user.create({
      data: {
        id: newId('cus'),
        role: 'customer',
        email,
        phone: input.phone,
        fullName: input.fullName,
        nationalId: input.nationalId ?? null,
        dateOfBirth: input.dateOfBirth ?? null,
        kycTier: input.nationalId ? 1 : 0,
        passwordHash,
        status: 'active',
        createdAt: this.clock.now(),
      },
    });
    const wallet = await this.accounts.openAccount(tx, user.id, 'wallet', HOME_CURRENCY);
    return { user, walletId: wallet.id };
  }

  /**
   * Password grant: the username is the e-mail or the phone number. Each attempt takes one of the
   * user's failure slots before the password is checked (see Guesses); a user with TOTP enabled
   * also gives a code (or a recovery code), and a wrong code is a wrong guess too. In production a
   * banker or admin without a second factor gets a token that can only enrol one.
   */
  async passwordGrant(
    username: string,
    password: string,
    otp: string | undefined,
    client: ClientAuthentication | undefined,
  ): Promise<Grant> {
    await this.publicClient(client);
    const name = typedName(username);
    const user = await this.db.user.findFirst({
      where: username.includes('@') ? { email: name } : { phone: name },
    });
    const grant = await this.guesses.guard(
      signInBucket(user, name),
      { username: name, userId: user?.id },
      async () => {
        const ok = user
          ? await verifySecret(user.passwordHash, password)
          : await verifyAgainstDecoy(password);
        if (!user || !ok || user.status !== 'active') throw wrongPassword();
        return transaction(this.database, async (tx) => {
          const enrolled = await this.mfa.isEnabled(tx, user.id);
          if (enrolled) {
            // A missing code is not a wrong guess: the slot is given back.
            if (!otp) return 'mfa_missing' as const;
            if (!(await this.mfa.check(tx, user.id, otp, { recovery: true })))
              throw mfaRequired('The one-time code is wrong, expired or already used.');
          }
          return { enrolled, refreshToken: await this.refresh.issue(tx, user.id) };
        });
      },
      isWrongPassword,
    );
    if (grant === 'mfa_missing')
      throw mfaRequired('This user has TOTP enabled: send `otp` with the password.');
    const staff = user?.role === 'banker' || user?.role === 'admin';
    if (this.staffNeedSecondFactor && staff && !grant.enrolled) {
      // No refresh token: the narrowed token is for enrolling, then signing in again with a code.
      const { token, expiresIn } = await this.tokens.issue(user.id, user.role as PrincipalRole, {
        scope: ENROLMENT_SCOPE,
      });
      return { accessToken: token, expiresIn, scope: ENROLMENT_SCOPE };
    }
    const { token, expiresIn } = await this.tokens.issue(
      (user as User).id,
      (user as User).role as PrincipalRole,
    );
    return { accessToken: token, expiresIn, refreshToken: grant.refreshToken };
  }

  /** Refresh grant: spends the refresh token for a new pair (see RefreshTokens). */
  async refreshGrant(refreshToken: string, client: ClientAuthentication | undefined): Promise<Grant> {
    await this.publicClient(client);
    const rotated = await this.refresh.rotate(refreshToken).catch((error: unknown) => {
      throw isWrongPassword(error)
        ? invalidGrant('The refresh token is invalid, expired or revoked.')
        : error;
    });
    const user = await this.user(rotated.userId);
    const { token, expiresIn } = await this.tokens.issue(user.id, user.role as PrincipalRole);
    return { accessToken: token, expiresIn, refreshToken: rotated.refreshToken };
  }

  /** Client-credentials grant for partner back ends (confidential clients with a secret). */
  async clientCredentialsGrant(client: ClientAuthentication | undefined): Promise<Grant> {
    if (!client)
      throw invalidClient(false, 'Authenticate the client (HTTP Basic or client_id and client_secret).');
    const row = await this.authenticateClient(client);
    if (row.type !== 'confidential')
      throw new OAuthError(
        'unauthorized_client',
        400,
        'forbidden',
        'A public client cannot use client_credentials.',
      );
    const { token, expiresIn } = await this.tokens.issue(row.id, 'partner');
    return { accessToken: token, expiresIn };
  }

  /**
   * A confidential client proves its secret (one failure slot per attempt, as for passwords); a
   * public client names itself only. Unknown clients and wrong secrets answer alike.
   */
  async authenticateClient(client: ClientAuthentication): Promise<PartnerClientRow> {
    const basic = client.method === 'client_secret_basic';
    const row = await this.db.partnerClient.findUnique({ where: { id: client.clientId } });
    if (row?.type === 'public') {
      if (client.clientSecret !== undefined) throw invalidClient(basic, 'A public client has no secret.');
      return row;
    }
    if (client.clientSecret === undefined) throw invalidClient(basic);
    return this.guesses.guard(
      clientBucket(client.clientId),
      { username: client.clientId },
      async () => {
        const ok = row
          ? await verifySecret(row.secretHash, client.clientSecret as string)
          : await verifyAgainstDecoy(client.clientSecret as string);
        if (!row || !ok) throw invalidClient(basic);
        return row;
      },
      (error) => error instanceof OAuthError && error.error === 'invalid_client',
    );
  }

  /**
   * The password and refresh grants are for first-party public clients: no client, or a public
   * client by its id. A confidential partner back end may not collect a customer's password.
   */
  private async publicClient(client: ClientAuthentication | undefined): Promise<void> {
    if (!client) return;
    const row = await this.authenticateClient(client);
    if (row.type !== 'public')
      throw new OAuthError(
        'unauthorized_client',
        400,
        'forbidden',
        "Partner clients may not use a customer's password; use widget sessions.",
      );
  }

  /**
   * RFC 7009: revokes a refresh token (its whole family) or an access token (until it expires).
   * Holding the token is the proof; an unknown or invalid token is not an error.
   */
  async revoke(token: string, client: ClientAuthentication | undefined): Promise<void> {
    if (client) await this.authenticateClient(client);
    if (token.startsWith('rt_')) {
      await this.refresh.revokeToken(token);
      return;
    }
    const claims = await this.tokens.verify(token);
    if (claims) await this.revokeAccessToken(claims.jti, claims.exp);
  }

  /** Logout: revokes the refresh token's family (if it is the caller's) and the access token in use. */
  async logout(principal: Principal, refreshToken: string): Promise<boolean> {
    if (principal.tokenId && principal.tokenExpiresAt)
      await this.revokeAccessToken(principal.tokenId, principal.tokenExpiresAt);
    return this.refresh.revoke(principal.id, refreshToken);
  }

  private async revokeAccessToken(jti: string, exp: number): Promise<void> {
    const insert =
      this.database.dialect === 'mysql'
        ? 'INSERT IGNORE INTO revoked_tokens (jti, expires_at) VALUES (?, ?)'
        : 'INSERT OR IGNORE INTO revoked_tokens (jti, expires_at) VALUES (?, ?)';
    await this.database.sql.$executeRawUnsafe(insert, jti, new Date(exp * 1000));
  }

  /**
   * Turns a bearer token into a principal. The user (or partner) row and the token's revocation
   * are read in one statement on every request: a disabled user or a revoked token stops at once.
   */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer ([A-Za-z0-9_\-.]{10,4096})$/.exec(authorization ?? '');
    if (!match?.[1]) throw unauthenticated();
    const claims = await this.tokens.verify(match[1]);
    if (!claims) throw unauthenticated('The token is invalid or expired.');
    const invalid = unauthenticated('The token is invalid or expired.');
    const token = { tokenId: claims.jti, tokenExpiresAt: claims.exp };
    if (claims.sid) return { ...(await this.widgetPrincipal(claims.sid, claims.sub, claims.jti)), ...token };
    const table = claims.role === 'partner' ? 'partner_clients' : 'users';
    const [row] = await this.database.sql.$queryRawUnsafe<
      { role?: string; status?: string; revoked: unknown }[]
    >(
      `SELECT ${table === 'users' ? 'role, status' : "'partner' AS role, 'active' AS status"},
              (SELECT COUNT(*) FROM revoked_tokens WHERE jti = ?) AS revoked
         FROM ${table} WHERE id = ?${table === 'partner_clients' ? " AND type = 'confidential'" : ''}`,
      claims.jti,
      claims.sub,
    );
    if (!row || Number(row.revoked) > 0 || row.status !== 'active' || row.role !== claims.role) throw invalid;
    return {
      id: claims.sub,
      role: claims.role,
      ...token,
      ...(claims.scope ? { scopes: claims.scope.split(' ') } : {}),
    };
  }

  /**
   * A widget session's principal: its customer, limited to the session's scopes and origin, while
   * the partner may still act for the customer (a revoked consent ends every session at once).
   */
  private async widgetPrincipal(sessionId: string, customerId: string, jti: string): Promise<Principal> {
    const invalid = unauthenticated('The widget session is invalid or expired.');
    const [row] = await this.database.sql.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT s.partner_id, s.customer_id, s.scopes, s.origin, s.expires_at, u.status, u.role,
              (SELECT COUNT(*) FROM revoked_tokens WHERE jti = ?) AS revoked
         FROM widget_sessions s
         JOIN users u ON u.id = s.customer_id
         JOIN partner_customers l ON l.partner_id = s.partner_id AND l.customer_id = s.customer_id
        WHERE s.id = ? AND l.revoked_at IS NULL`,
      jti,
      sessionId,
    );
    if (
      !row ||
      row.customer_id !== customerId ||
      Number(row.revoked) > 0 ||
      new Date(row.expires_at as string | Date) <= this.clock.now() ||
      row.status !== 'active' ||
      row.role !== 'customer'
    )
      throw invalid;
    return {
      id: customerId,
      role: 'customer',
      scopes: String(row.scopes).split(' '),
      origin: String(row.origin),
      sessionId,
      partnerId: String(row.partner_id),
    };
  }

  async user(id: string): Promise<User> {
    const user = await this.db.user.findUnique({ where: { id } });
    if (!user) throw new DomainError(404, 'not_found', 'Not found', 'No such user.');
    return user;
  }

  /**
   * Re-authentication for sensitive changes to one's own sign-in (a second factor): the password,
   * as a guess counted like a sign-in, so a stolen access token cannot be used to try passwords.
   */
  async confirmPassword(userId: string, password: string): Promise<void> {
    const user = await this.db.user.findUnique({ where: { id: userId } });
    await this.guesses.guard(
      signInBucket(user, ''),
      { username: user?.email ?? userId, userId },
      async () => {
        if (!user || !(await verifySecret(user.passwordHash, password))) throw new PasswordNotConfirmed();
      },
      (error) => error instanceof PasswordNotConfirmed,
    );
  }
}
