import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { conflict, DomainError, unauthenticated } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { AccountsService } from '../accounts/service.ts';
import { hashSecret, verifyAgainstDecoy, verifySecret } from './passwords.ts';
import type { PrincipalRole, TokenService } from './tokens.ts';

/** Who is calling, as every service sees it after authentication. */
export interface Principal {
  id: string;
  role: PrincipalRole;
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
    private readonly db: Db,
    private readonly tokens: TokenService,
    private readonly accounts: AccountsService,
    private readonly clock: Clock,
  ) {}

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

  /** Password grant: the username is the e-mail or the phone number. */
  async passwordGrant(
    username: string,
    password: string,
  ): Promise<{ accessToken: string; expiresIn: number }> {
    const user = await this.db.user.findFirst({
      where: username.includes('@') ? { email: normaliseEmail(username) } : { phone: username.trim() },
    });
    const ok = user ? await verifySecret(user.passwordHash, password) : await verifyAgainstDecoy(password);
    if (!user || !ok || user.status !== 'active') throw unauthenticated('Wrong username or password.');
    const { token, expiresIn } = await this.tokens.issue(user.id, user.role as PrincipalRole);
    return { accessToken: token, expiresIn };
  }

  /** Client-credentials grant for partner back ends. */
  async clientCredentialsGrant(
    clientId: string,
    secret: string,
  ): Promise<{ accessToken: string; expiresIn: number }> {
    const client = await this.db.partnerClient.findUnique({ where: { id: clientId } });
    const ok = client ? await verifySecret(client.secretHash, secret) : await verifyAgainstDecoy(secret);
    if (!client || !ok) throw unauthenticated('Wrong client id or secret.');
    const { token, expiresIn } = await this.tokens.issue(client.id, 'partner');
    return { accessToken: token, expiresIn };
  }

  /** Turns a bearer token into a principal; a disabled or deleted user's token stops working at once. */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer ([A-Za-z0-9_\-.]{10,4096})$/.exec(authorization ?? '');
    if (!match?.[1]) throw unauthenticated();
    const claims = await this.tokens.verify(match[1]);
    if (!claims) throw unauthenticated('The token is invalid or expired.');
    if (claims.role === 'partner') {
      const client = await this.db.partnerClient.findUnique({
        where: { id: claims.sub },
        select: { id: true },
      });
      if (!client) throw unauthenticated('The token is invalid or expired.');
      return { id: client.id, role: 'partner' };
    }
    const user = await this.db.user.findUnique({
      where: { id: claims.sub },
      select: { id: true, role: true, status: true },
    });
    if (!user || user.status !== 'active' || user.role !== claims.role)
      throw unauthenticated('The token is invalid or expired.');
    return { id: user.id, role: claims.role };
  }

  async user(id: string): Promise<User> {
    const user = await this.db.user.findUnique({ where: { id } });
    if (!user) throw new DomainError(404, 'not_found', 'Not found', 'No such user.');
    return user;
  }
}
