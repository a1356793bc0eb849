import type { Clock } from '../../clock.ts';
import type { RateLimitConfig } from '../../config.ts';
import type { Database, Db } from '../../db/database.ts';
import { transaction } from '../../db/transaction.ts';
import { conflict, DomainError, mfaRequired, unauthenticated } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { AccountsService } from '../accounts/service.ts';
import type { AuditLog } from '../audit/log.ts';
import type { MfaService } from '../mfa/service.ts';
import type { RateLimiter } from '../throttle/limiter.ts';
import { hashSecret, verifyAgainstDecoy, verifySecret } from './passwords.ts';
import type { RefreshTokens } from './refresh.ts';
import type { PrincipalRole, TokenService } from './tokens.ts';

/** Who is calling, as every service sees it after authentication. */
export interface Principal {
  id: string;
  role: PrincipalRole;
  /** A widget session's granted scopes; absent for first-party and partner tokens (their role decides). */
  scopes?: readonly string[] | undefined;
  /** A widget session's one origin. */
  origin?: string | undefined;
  /** The widget session id and the partner that minted it. */
  sessionId?: string | undefined;
  partnerId?: string | undefined;
  /** The request being served (kept in audit events). */
  requestId?: string | undefined;
}

export interface Grant {
  accessToken: string;
  expiresIn: number;
  refreshToken?: string;
}

export interface SignupInput {
  phone: string;
  email: string;
  password: string;
  fullName: string;
  nationalId?: string | undefined;
}

export type User = NonNullable<Awaited<ReturnType<Db['user']['findUnique']>>>;

/** The currency every new customer's wallet is opened in. */
export const HOME_CURRENCY = 'KES';

const normaliseEmail = (email: string) => email.trim().toLowerCase();

export class IdentityService {
  constructor(
    private readonly database: Database,
    private readonly tokens: TokenService,
    private readonly accounts: AccountsService,
    private readonly clock: Clock,
    private readonly refresh: RefreshTokens,
    private readonly mfa: MfaService,
    private readonly limiter: RateLimiter,
    private readonly limits: RateLimitConfig,
    private readonly audit: AuditLog,
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
   * Password grant: the username is the e-mail or the phone number. Failed attempts are counted per
   * username in the database (every instance sees them): past the limit the username is locked out
   * for the rest of the window (429), and the lockout is audited. A user with TOTP enabled must
   * also give a code (or a recovery code); a wrong code counts as a failure.
   */
  async passwordGrant(username: string, password: string, otp?: string): Promise<Grant> {
    const key = username.includes('@') ? normaliseEmail(username) : username.trim();
    const bucket = `signin-fail:user:${key}`;
    const { failedSigninMax: max, failedSigninWindowSeconds: window } = this.limits;
    await this.limiter.check(bucket, max, window, 'Too many failed sign-ins for this user; try again later.');
    const user = await this.db.user.findFirst({
      where: username.includes('@') ? { email: key } : { phone: key },
    });
    const ok = user ? await verifySecret(user.passwordHash, password) : await verifyAgainstDecoy(password);
    if (!user || !ok || user.status !== 'active') {
      await this.failedSignIn(bucket, key, user?.id);
      throw unauthenticated('Wrong username or password.');
    }
    const grant = await transaction(this.database, async (tx) => {
      if (await this.mfa.isEnabled(tx, user.id)) {
        if (!otp) return 'mfa_missing' as const;
        if (!(await this.mfa.check(tx, user.id, otp, { recovery: true }))) return 'mfa_wrong' as const;
      }
      return { refreshToken: await this.refresh.issue(tx, user.id) };
    });
    if (grant === 'mfa_missing')
      throw mfaRequired('This user has TOTP enabled: send `otp` with the password.');
    if (grant === 'mfa_wrong') {
      await this.failedSignIn(bucket, key, user.id);
      throw mfaRequired('The one-time code is wrong, expired or already used.');
    }
    await this.limiter.reset(bucket, window);
    const { token, expiresIn } = await this.tokens.issue(user.id, user.role as PrincipalRole);
    return { accessToken: token, expiresIn, refreshToken: grant.refreshToken };
  }

  /** Refresh grant: spends the refresh token for a new pair (see RefreshTokens). */
  async refreshGrant(refreshToken: string): Promise<Grant> {
    const rotated = await this.refresh.rotate(refreshToken);
    const user = await this.user(rotated.userId);
    const { token, expiresIn } = await this.tokens.issue(user.id, user.role as PrincipalRole);
    return { accessToken: token, expiresIn, refreshToken: rotated.refreshToken };
  }

  /** Logout: revokes the refresh token's whole family. */
  logout(principal: Principal, refreshToken: string): Promise<boolean> {
    return this.refresh.revoke(principal.id, refreshToken);
  }

  /** Counts a failed sign-in; the one that reaches the limit locks the username out and is audited. */
  private async failedSignIn(bucket: string, username: string, userId: string | undefined): Promise<void> {
    const { failedSigninMax: max, failedSigninWindowSeconds: window } = this.limits;
    const count = await this.limiter.hit(bucket, window);
    if (count.hits !== max) return;
    await transaction(this.database, (tx) =>
      this.audit.record(
        tx,
        { id: 'system', role: 'system' },
        {
          action: 'auth.locked_out',
          subject: { type: 'user', id: userId ?? null },
          after: { username, failures: max, window_seconds: window },
          reason: `${max} failed sign-ins within ${window} s`,
        },
      ),
    );
  }

  /** Client-credentials grant for partner back ends. */
  async clientCredentialsGrant(clientId: string, secret: string): Promise<Grant> {
    const bucket = `signin-fail:client:${clientId}`;
    const { failedSigninMax: max, failedSigninWindowSeconds: window } = this.limits;
    await this.limiter.check(
      bucket,
      max,
      window,
      'Too many failed attempts for this client; try again later.',
    );
    const client = await this.db.partnerClient.findUnique({ where: { id: clientId } });
    const ok = client ? await verifySecret(client.secretHash, secret) : await verifyAgainstDecoy(secret);
    if (!client || !ok) {
      await this.failedSignIn(bucket, clientId, undefined);
      throw unauthenticated('Wrong client id or secret.');
    }
    const { token, expiresIn } = await this.tokens.issue(client.id, 'partner');
    return { accessToken: token, expiresIn };
  }

  /** Turns a bearer token into a principal; a disabled or deleted user's token stops working at once. */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer ([A-Za-z0-9_\-.]{10,4096})$/.exec(authorization ?? '');
    if (!match?.[1]) throw unauthenticated();
    const claims = await this.tokens.verify(match[1]);
    if (!claims) throw unauthenticated('The token is invalid or expired.');
    if (claims.sid) return this.widgetPrincipal(claims.sid, claims.sub);
    if (claims.role === 'partner') {
      const client = await this.db.partnerClient.findUnique({
        where: { id: claims.sub },
        select: { id: true },
      });
      if (!client) throw unauthenticated('The token is invalid or expired.');
      return { id: client.id, role: 'partner' };
    }
    // On every request, so plain SQL on the hot-path executor; a disabled user is refused at once.
    const [user] = await this.database.sql.$queryRawUnsafe<{ role: string; status: string }[]>(
      'SELECT role, status FROM users WHERE id = ?',
      claims.sub,
    );
    if (user?.status !== 'active' || user.role !== claims.role)
      throw unauthenticated('The token is invalid or expired.');
    return { id: claims.sub, role: claims.role };
  }

  /** A widget session's principal: its customer, limited to the session's scopes and origin. */
  private async widgetPrincipal(sessionId: string, customerId: string): Promise<Principal> {
    const session = await this.db.widgetSession.findUnique({ where: { id: sessionId } });
    const invalid = unauthenticated('The widget session is invalid or expired.');
    if (!session || session.customerId !== customerId || session.expiresAt <= this.clock.now()) throw invalid;
    const user = await this.db.user.findUnique({
      where: { id: customerId },
      select: { status: true, role: true },
    });
    if (user?.status !== 'active' || user.role !== 'customer') throw invalid;
    return {
      id: customerId,
      role: 'customer',
      scopes: session.scopes.split(' '),
      origin: session.origin,
      sessionId: session.id,
      partnerId: session.partnerId,
    };
  }

  async user(id: string): Promise<User> {
    const user = await this.db.user.findUnique({ where: { id } });
    if (!user) throw new DomainError(404, 'not_found', 'Not found', 'No such user.');
    return user;
  }
}
