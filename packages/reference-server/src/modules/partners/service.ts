import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/database.ts';
import { forbidden, notFound } from '../../errors.ts';
import type { AuditLog } from '../audit/log.ts';
import type { EventLog } from '../events/log.ts';
import type { IdentityService, Principal, SignupInput, User } from '../identity/service.ts';

export interface PartnerLink {
  clientId: string;
  name: string;
  source: 'onboarded' | 'consent';
  createdAt: Date;
}

/**
 * Which customers a partner may act for (API.md, Identity): the ones it onboarded itself, and the
 * ones who consented. A customer sees and revokes their links; a revoked link ends the partner's
 * widget sessions for that customer at once (authentication joins the link on every request).
 */
export class PartnersService {
  constructor(
    private readonly db: Db,
    private readonly identity: IdentityService,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly events: EventLog,
  ) {}

  /** A partner back end opens a customer (and their wallet), linked to itself. */
  async onboard(
    tx: Db,
    partner: Principal,
    input: SignupInput,
    passwordHash: string,
  ): Promise<{ user: User; walletId: string }> {
    assertPartnerBackEnd(partner);
    const opened = await this.identity.signup(tx, input, passwordHash);
    await tx.partnerCustomer.create({
      data: {
        partnerId: partner.id,
        customerId: opened.user.id,
        source: 'onboarded',
        createdAt: this.clock.now(),
      },
    });
    await this.audit.record(tx, partner, {
      action: 'customer.onboarded',
      subject: { type: 'customer', id: opened.user.id },
      after: { partner_id: partner.id, kyc_tier: opened.user.kycTier },
    });
    return opened;
  }

  /** Whether the partner may act for the customer now. */
  async isLinked(db: Db, partnerId: string, customerId: string): Promise<boolean> {
    const link = await db.partnerCustomer.findUnique({
      where: { partnerId_customerId: { partnerId, customerId } },
      select: { revokedAt: true },
    });
    return link !== null && link.revokedAt === null;
  }

  /** The customer's active links, oldest first. */
  async links(customer: Principal): Promise<PartnerLink[]> {
    assertCustomer(customer);
    const rows = await this.db.partnerCustomer.findMany({
      where: { customerId: customer.id, revokedAt: null },
      orderBy: { createdAt: 'asc' },
    });
    const names = new Map(
      (
        await this.db.partnerClient.findMany({
          where: { id: { in: rows.map((r) => r.partnerId) } },
          select: { id: true, name: true },
        })
      ).map((p) => [p.id, p.name]),
    );
    return rows.map((r) => ({
      clientId: r.partnerId,
      name: names.get(r.partnerId) ?? r.partnerId,
      source: r.source as PartnerLink['source'],
      createdAt: r.createdAt,
    }));
  }

  /** The customer lets a partner act for them. Granting what is already granted changes nothing. */
  async consent(tx: Db, customer: Principal, clientId: string): Promise<PartnerLink> {
    assertCustomer(customer);
    const partner = await tx.partnerClient.findUnique({ where: { id: clientId } });
    if (partner?.type !== 'confidential') throw notFound('partner');
    const key = { partnerId_customerId: { partnerId: clientId, customerId: customer.id } };
    const existing = await tx.partnerCustomer.findUnique({ where: key });
    const now = this.clock.now();
    if (existing && existing.revokedAt === null)
      return {
        clientId,
        name: partner.name,
        source: existing.source as PartnerLink['source'],
        createdAt: existing.createdAt,
      };
    const link = existing
      ? await tx.partnerCustomer.update({
          where: key,
          data: { source: 'consent', revokedAt: null, createdAt: now },
        })
      : await tx.partnerCustomer.create({
          data: { partnerId: clientId, customerId: customer.id, source: 'consent', createdAt: now },
        });
    await this.changed(tx, customer, 'partner.consent_granted', clientId);
    return { clientId, name: partner.name, source: 'consent', createdAt: link.createdAt };
  }

  /** The customer withdraws a partner's access (an onboarding link too); answers whether one was active. */
  async revoke(tx: Db, customer: Principal, clientId: string): Promise<boolean> {
    assertCustomer(customer);
    const now = this.clock.now();
    const { count } = await tx.partnerCustomer.updateMany({
      where: { partnerId: clientId, customerId: customer.id, revokedAt: null },
      data: { revokedAt: now },
    });
    if (count === 0) return false;
    // Sessions also end by the link check on every request; this keeps CORS from answering them too.
    await tx.widgetSession.updateMany({
      where: { partnerId: clientId, customerId: customer.id, expiresAt: { gt: now } },
      data: { expiresAt: now },
    });
    await this.changed(tx, customer, 'partner.consent_revoked', clientId);
    return true;
  }

  private async changed(tx: Db, customer: Principal, action: string, partnerId: string): Promise<void> {
    await this.audit.record(tx, customer, {
      action,
      subject: { type: 'customer', id: customer.id },
      after: { partner_id: partnerId },
    });
    await this.events.record(tx, { type: action, customerId: customer.id, data: { client_id: partnerId } });
  }
}

function assertPartnerBackEnd(principal: Principal): void {
  if (principal.role !== 'partner' || principal.scopes)
    throw forbidden('Only partner back ends onboard customers.');
}

function assertCustomer(principal: Principal): void {
  // A widget session acts for a customer but may not change which partners do.
  if (principal.role !== 'customer' || principal.sessionId)
    throw forbidden('Only the customer manages consents.');
}
