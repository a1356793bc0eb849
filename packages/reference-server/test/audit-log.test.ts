/**
 * The audit log as a transparency log (issue 9): sealed into an RFC 9162 Merkle tree, signed
 * checkpoints the database never could forge, proofs checked by the SDK's verifier (no server
 * code), a verify that never cries wolf under load — and the attacks that passed before.
 */
import {
  auditLeafFieldsOf,
  auditLeafHash,
  type JsonWebKeySet,
  type SignedCheckpoint,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '@wekeza/sdk/audit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transaction } from '../src/db/transaction.ts';
import { reconcile } from '../src/modules/ledger/reconcile.ts';
import { startTestBank, type TestBank, testDialects } from '../src/testing/index.ts';
import { fund, type Http, login, newCustomer } from './support/http.ts';

type Event = {
  id: string;
  action: string;
  subject: { id: string | null; type: string };
  seal: { leaf_index: number; leaf_hash: string } | null;
  actor: { id: string; role: string };
  before: unknown;
  after: unknown;
  reason: string | null;
  request_id: string | null;
  created_at: string;
};

describe.each(testDialects())('the transparency log on %s', (dialect) => {
  let bank: TestBank;
  let admin: Http;
  let keys: JsonWebKeySet;
  // The sealer runs only when a test says so: each test decides what is sealed when.
  beforeAll(async () => {
    bank = await startTestBank(dialect, { WEKEZA_AUDIT_SEAL_INTERVAL_MS: '0' });
    admin = await login(bank, 'admin@sandbox.test');
    keys = (await (await fetch(`${bank.url}/v1/audit/public-keys`)).json()) as JsonWebKeySet;
  });
  afterAll(async () => {
    await bank?.stop();
  });

  const seal = () => bank.services.sealer.sealPending();
  const latest = async () =>
    (await admin.get<SignedCheckpoint>('/v1/audit/checkpoints/latest')).body as SignedCheckpoint;
  async function eventOf(action: string, subject: string): Promise<Event> {
    const page = await admin.get<{ data: Event[] }>('/v1/audit-events?limit=100');
    const found = page.body.data.find((e) => e.action === action && e.subject.id === subject);
    if (!found) throw new Error(`no ${action} event for ${subject}`);
    return found;
  }
  async function transfer(amount = '1.00') {
    const a = await newCustomer(bank);
    const b = await newCustomer(bank);
    await fund(admin, a.walletId, '100.00');
    const sent = await a.http.post<{ id: string }>('/v1/transfers', {
      from_account_id: a.walletId,
      to_account_id: b.walletId,
      amount: { amount, currency: 'KES' },
    });
    expect(sent.status).toBe(201);
    return sent.body.id;
  }

  it('when an event is not sealed yet, then its proof is 409 not_sealed with Retry-After; once sealed, the SDK verifies it against a signed checkpoint', async () => {
    const id = await transfer();
    const event = await eventOf('transfer.created', id);
    expect(event.seal).toBeNull();
    const early = await admin.get(`/v1/audit-events/${event.id}/proof`);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('not_sealed');
    expect(early.headers.get('retry-after')).toBe('1');

    expect(await seal()).toBeGreaterThan(0);
    const checkpoint = await latest();
    expect(await verifyCheckpoint(checkpoint, keys)).toMatchObject({
      valid: true,
      treeSize: checkpoint.tree_size,
    });
    const sealed = await eventOf('transfer.created', id);
    expect(sealed.seal).not.toBeNull();
    // The leaf recomputed outside the bank from what the API shows equals the sealed one.
    const leaf = Buffer.from(await auditLeafHash(auditLeafFieldsOf(sealed))).toString('base64');
    expect(leaf).toBe(sealed.seal?.leaf_hash);
    const proof = await admin.get<{
      leaf_index: number;
      tree_size: number;
      leaf_hash: string;
      audit_path: string[];
    }>(`/v1/audit-events/${event.id}/proof`);
    expect(proof.status).toBe(200);
    expect(proof.body.tree_size).toBe(checkpoint.tree_size);
    const inclusion = {
      leafHash: leaf,
      leafIndex: proof.body.leaf_index,
      treeSize: proof.body.tree_size,
      auditPath: proof.body.audit_path,
      rootHash: checkpoint.root_hash,
    };
    expect(await verifyInclusion(inclusion)).toBe(true);
    expect(await verifyInclusion({ ...inclusion, leafIndex: inclusion.leafIndex + 1 })).toBe(false);
    expect((await admin.get('/v1/audit-events/aud_NOSUCHEVENT/proof')).status).toBe(404);
  });

  it('when events wait to be sealed, then the sealing status shows how many and since when; once sealed, none', async () => {
    await seal();
    const id = await transfer();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const waiting = await admin.get<Record<string, unknown>>('/v1/audit/sealing');
    expect(waiting.status).toBe(200);
    expect(waiting.body.pending_events).toBeGreaterThanOrEqual(1);
    expect(waiting.body.lag_ms).toBeGreaterThanOrEqual(30);
    const event = await eventOf('transfer.created', id);
    expect(Date.parse(String(waiting.body.oldest_pending_at))).toBeLessThanOrEqual(
      Date.parse(event.created_at),
    );
    await seal();
    const checkpoint = await latest();
    const done = await admin.get<Record<string, unknown>>('/v1/audit/sealing');
    expect(done.body).toMatchObject({
      pending_events: 0,
      oldest_pending_at: null,
      lag_ms: 0,
      tree_size: checkpoint.tree_size,
    });
    expect(done.body.checkpointed_at).toEqual(expect.any(String));
  });

  it('when the log grows, then every later checkpoint provably extends an earlier one', async () => {
    await seal();
    const before = await latest();
    for (let i = 0; i < 3; i++) await transfer();
    await seal();
    const after = await latest();
    expect(after.tree_size).toBeGreaterThan(before.tree_size);
    const consistency = await admin.get<{ proof: string[] }>(
      `/v1/audit/consistency?from=${before.tree_size}&to=${after.tree_size}`,
    );
    const input = {
      fromSize: before.tree_size,
      toSize: after.tree_size,
      fromRoot: before.root_hash,
      toRoot: after.root_hash,
      proof: consistency.body.proof,
    };
    expect(await verifyConsistency(input)).toBe(true);
    expect(await verifyConsistency({ ...input, fromRoot: after.root_hash })).toBe(false);
    expect((await admin.get(`/v1/audit/checkpoints/${before.tree_size}`)).body).toEqual(before);
  });

  it('when an action rolls back, then its event never appears in the log', async () => {
    await expect(
      transaction(bank.db, async (tx) => {
        await bank.services.audit.record(
          tx,
          { id: 'system', role: 'system' },
          { action: 'test.rolled_back', subject: { type: 'test' } },
        );
        throw new Error('the action failed');
      }),
    ).rejects.toThrow(/failed/);
    await seal();
    expect(await bank.db.prisma.auditEvent.count({ where: { action: 'test.rolled_back' } })).toBe(0);
    expect((await admin.get<{ valid: boolean }>('/v1/audit-events/verify')).body.valid).toBe(true);
  });

  it('when verify runs in a loop while 500 transfers are made and sealed, then it never reports a broken log', async () => {
    const payers = await Promise.all(Array.from({ length: 10 }, () => newCustomer(bank)));
    const payee = await newCustomer(bank);
    await Promise.all(payers.map((p) => fund(admin, p.walletId, '1000.00')));
    bank.services.sealer.start(50, () => {});
    let done = false;
    const verdicts: boolean[] = [];
    const verifying = (async () => {
      while (!done)
        verdicts.push((await admin.get<{ valid: boolean }>('/v1/audit-events/verify')).body.valid);
    })();
    let next = 0;
    await Promise.all(
      payers.map(async (p) => {
        while (next < 500) {
          next += 1;
          const r = await p.http.post('/v1/transfers', {
            from_account_id: p.walletId,
            to_account_id: payee.walletId,
            amount: { amount: '0.01', currency: 'KES' },
          });
          expect(r.status).toBe(201);
        }
      }),
    );
    done = true;
    await verifying;
    await bank.services.sealer.stop();
    await seal();
    expect(verdicts.length).toBeGreaterThan(3);
    expect(verdicts.every(Boolean)).toBe(true);
    const final = await admin.get<{ valid: boolean; unsealed: number; checked: number }>(
      '/v1/audit-events/verify',
    );
    expect(final.body).toMatchObject({ valid: true, unsealed: 0 });
  });

  it('when the daily close runs, then a ledger digest is sealed, and an edited posting is found even when its chain is recomputed', async () => {
    const id = await transfer('7.00');
    await admin.post('/v1/sandbox/clock/advance', { days: 1 });
    await seal();
    expect(await bank.services.digests.check()).toMatchObject({ valid: true });
    expect((await reconcile(bank.db.prisma)).ok).toBe(true);
    // The attacker owns the database: drops the triggers, edits a posting's amount, and rewrites
    // that account's whole chain and head so that the chain alone still holds.
    const t = await bank.db.prisma.transfer.findUniqueOrThrow({ where: { id } });
    const posting = await bank.db.prisma.posting.findFirstOrThrow({
      where: { entryId: t.entryId, side: 'credit' },
    });
    await dropTrigger('postings_no_update');
    await bank.db.sql.$executeRawUnsafe('UPDATE postings SET amount_minor = 70000 WHERE id = ?', posting.id);
    expect((await reconcile(bank.db.prisma)).chainBreaks.map((b) => b.accountId)).toContain(
      posting.accountId,
    );
    await rewriteChain(posting.accountId);
    expect((await reconcile(bank.db.prisma)).chainBreaks).toEqual([]);
    const check = await bank.services.digests.check();
    expect(check.valid).toBe(false);
    expect(check.firstBroken?.accountId).toBe(posting.accountId);
  });

  it('when an attacker who owns the database edits a sealed event and recomputes everything it can, then verify and the auditor kept checkpoint both catch it', async () => {
    await seal();
    const kept = await latest(); // what an auditor fetched and kept
    const victim = await eventOf(
      'transfer.created',
      (await bank.db.prisma.transfer.findFirstOrThrow({ orderBy: { createdAt: 'desc' } })).id,
    );
    expect(victim.seal).not.toBeNull();
    // Drop every trigger, edit the event, recompute its leaf hash, every tree node above it and the
    // seal: all of it lives in the database. Only the checkpoints' signatures cannot be redone.
    for (const t of ['audit_events_no_update', 'audit_seals_no_update', 'audit_tree_nodes_no_update'])
      await dropTrigger(t);
    await bank.db.sql.$executeRawUnsafe(
      `UPDATE audit_events SET after_state = ? WHERE id = ?`,
      '{"amount":"0.01"}',
      victim.id,
    );
    await rebuildTree();
    const verify = await admin.get<{ valid: boolean; first_broken_id: string | null; reason: string }>(
      '/v1/audit-events/verify',
    );
    expect(verify.body.valid).toBe(false);
    // The auditor's proof for the edited event does not lead to the root they kept.
    const edited = await eventOf('transfer.created', victim.subject.id as string);
    const proof = await admin.get<{ leaf_index: number; tree_size: number; audit_path: string[] }>(
      `/v1/audit-events/${victim.id}/proof?tree_size=${kept.tree_size}`,
    );
    const leaf = Buffer.from(await auditLeafHash(auditLeafFieldsOf(edited))).toString('base64');
    expect(
      await verifyInclusion({
        leafHash: leaf,
        leafIndex: proof.body.leaf_index,
        treeSize: kept.tree_size,
        auditPath: proof.body.audit_path,
        rootHash: kept.root_hash,
      }),
    ).toBe(false);
  });

  it('when a sealed event is deleted or two are swapped, then verify names where', async () => {
    // (The previous test left the log broken; this one starts from a fresh bank.)
    const fresh = await startTestBank(dialect, { WEKEZA_AUDIT_SEAL_INTERVAL_MS: '0' });
    try {
      const freshAdmin = await login(fresh, 'admin@sandbox.test');
      for (let i = 0; i < 4; i++) {
        const c = await newCustomer(fresh);
        await fund(freshAdmin, c.walletId, '5.00');
        await fund(freshAdmin, c.walletId, '5.00');
      }
      await fresh.services.sealer.sealPending();
      expect((await freshAdmin.get<{ valid: boolean }>('/v1/audit-events/verify')).body.valid).toBe(true);
      const seals = await fresh.db.prisma.auditSeal.findMany({ orderBy: { seq: 'asc' } });
      expect(seals.length).toBeGreaterThan(6);
      const [first, second] = [seals[2]!, seals[3]!];
      const drop = (name: string) => fresh.db.sql.$executeRawUnsafe(`DROP TRIGGER ${name}`);
      await drop('audit_seals_no_update');
      const swap = async () => {
        const [a, b] = await Promise.all(
          [first.seq, second.seq].map((seq) =>
            fresh.db.prisma.auditSeal.findUniqueOrThrow({ where: { seq } }),
          ),
        );
        await fresh.db.sql.$executeRawUnsafe(
          "UPDATE audit_seals SET event_id = 'swap' WHERE seq = ?",
          a!.seq,
        );
        await fresh.db.sql.$executeRawUnsafe(
          'UPDATE audit_seals SET event_id = ? WHERE seq = ?',
          a!.eventId,
          b!.seq,
        );
        await fresh.db.sql.$executeRawUnsafe(
          'UPDATE audit_seals SET event_id = ? WHERE seq = ?',
          b!.eventId,
          a!.seq,
        );
      };
      await swap();
      const swapped = await freshAdmin.get<{ valid: boolean; first_broken_id: string }>(
        '/v1/audit-events/verify',
      );
      expect(swapped.body).toMatchObject({ valid: false, first_broken_id: second.eventId });
      await drop('audit_events_no_delete');
      await swap(); // back as it was
      await fresh.db.sql.$executeRawUnsafe('DELETE FROM audit_events WHERE id = ?', seals[5]!.eventId);
      const deleted = await freshAdmin.get<{ valid: boolean; first_broken_id: string }>(
        '/v1/audit-events/verify',
      );
      expect(deleted.body).toMatchObject({ valid: false, first_broken_id: seals[5]!.eventId });
    } finally {
      await fresh.stop();
    }
  });

  async function dropTrigger(name: string) {
    await bank.db.sql.$executeRawUnsafe(`DROP TRIGGER ${name}`);
  }

  /** What an attacker with the database can do: recompute leaf hashes and every tree node from the events. */
  async function rebuildTree() {
    const { auditEventLeafHash, MerkleFrontier } = await import('../src/modules/audit/merkle.ts');
    const seals = await bank.db.prisma.auditSeal.findMany({ orderBy: { seq: 'asc' } });
    const tree = MerkleFrontier.empty();
    for (const s of seals) {
      const event = await bank.db.prisma.auditEvent.findUniqueOrThrow({ where: { id: s.eventId } });
      const leaf = auditEventLeafHash(event);
      await bank.db.sql.$executeRawUnsafe(
        'UPDATE audit_seals SET leaf_hash = ? WHERE seq = ?',
        Buffer.from(leaf).toString('hex'),
        s.seq,
      );
      for (const node of tree.append(leaf))
        await bank.db.sql.$executeRawUnsafe(
          'UPDATE audit_tree_nodes SET hash = ? WHERE level = ? AND idx = ?',
          Buffer.from(node.hash).toString('hex'),
          node.level,
          node.index,
        );
    }
  }

  /** Recomputes an account's whole posting chain and head after an edit, as an attacker would. */
  async function rewriteChain(accountId: string) {
    const { chainHash } = await import('../src/modules/ledger/chain.ts');
    const postings = await bank.db.prisma.posting.findMany({
      where: { accountId },
      orderBy: { accountSeq: 'asc' },
      include: { entry: { select: { effectiveDate: true } } },
    });
    let previous: string | null = null;
    let balance = 0n;
    for (const p of postings) {
      balance += p.side === 'credit' ? p.amountMinor : -p.amountMinor;
      const hash = chainHash(previous, {
        ...p,
        balanceAfterMinor: balance,
        effectiveDate: p.entry.effectiveDate,
      });
      await bank.db.sql.$executeRawUnsafe(
        'UPDATE postings SET balance_after_minor = ?, chain_hash = ? WHERE id = ?',
        balance,
        hash,
        p.id,
      );
      previous = hash;
    }
    await bank.db.sql.$executeRawUnsafe(
      'UPDATE accounts SET chain_head = ?, balance_minor = ? WHERE id = ?',
      previous,
      balance,
      accountId,
    );
  }
});
