import type { WidgetScope } from '@wekeza/sdk/contract';
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { forbidden, notFound } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { AuditLog } from '../audit/log.ts';
import type { Principal } from '../identity/service.ts';
import type { TokenService } from '../identity/tokens.ts';
import type { PartnersService } from '../partners/service.ts';

export interface WidgetSessionGrant {
  token: string;
  expiresAt: Date;
  customerId: string;
  scopes: WidgetScope[];
  origin: string;
}

/**
 * Widget sessions: a partner's back end asks for a short-lived token that a browser widget on the
 * partner's page uses for one customer, with the scopes the partner chose, from one origin. The
 * session is stored (so it can be checked and expire) and its minting audited. Only for a customer
 * linked to the partner (see PartnersService).
 */
export class WidgetSessions {
  constructor(
    private readonly db: Db,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
    private readonly audit: AuditLog,
    private readonly partners: PartnersService,
  ) {}

  async create(
    tx: Db,
    partner: Principal,
    input: { customerId: string; scopes: WidgetScope[]; origin: string },
  ): Promise<WidgetSessionGrant> {
    if (partner.role !== 'partner' || partner.scopes)
      throw forbidden('Only partner back ends mint widget sessions.');
    const customer = await tx.user.findUnique({
      where: { id: input.customerId },
      select: { role: true, status: true },
    });
    // Only a customer the partner onboarded or who consented; any other answers like no customer at all.
    if (
      customer?.role !== 'customer' ||
      customer.status !== 'active' ||
      !(await this.partners.isLinked(tx, partner.id, input.customerId))
    )
      throw notFound('customer');
    const scopes = [...new Set(input.scopes)].sort() as WidgetScope[];
    const id = newId('ws');
    const { token, expiresAt } = await this.tokens.issue(input.customerId, 'customer', {
      sid: id,
      origin: input.origin,
      ttlSeconds: this.ttlSeconds,
    });
    await tx.widgetSession.create({
      data: {
        id,
        partnerId: partner.id,
        customerId: input.customerId,
        scopes: scopes.join(' '),
        origin: input.origin,
        expiresAt,
        createdAt: this.clock.now(),
      },
    });
    await this.audit.record(tx, partner, {
      action: 'widget_session.created',
      subject: { type: 'customer', id: input.customerId },
      after: { session_id: id, scopes, origin: input.origin, expires_at: expiresAt.toISOString() },
    });
    return { token, expiresAt, customerId: input.customerId, scopes, origin: input.origin };
  }

  /** Whether some unexpired session belongs to this origin (CORS preflights carry no token). */
  async originActive(origin: string): Promise<boolean> {
    const session = await this.db.widgetSession.findFirst({
      where: { origin, expiresAt: { gt: this.clock.now() } },
      select: { id: true },
    });
    return session !== null;
  }
}
