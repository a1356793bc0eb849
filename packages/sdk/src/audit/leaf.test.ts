import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from './bytes.ts';
import { AUDIT_LEAF_TAG, type AuditLeafFields, auditLeafHash, encodeAuditLeaf } from './leaf.ts';

const event: AuditLeafFields = {
  id: 'aud_1',
  actorId: 'u',
  actorRole: 'admin',
  action: 'kyc.update',
  subjectType: 'customer',
  subjectId: null,
  before: null,
  after: '{"tier":2}',
  reason: '',
  requestId: null,
  createdAt: '1970-01-01T00:00:00.258Z',
};

const text = (s: string) => Buffer.from(s, 'utf8').toString('hex');
const present = (s: string) => `01${Buffer.byteLength(s).toString(16).padStart(8, '0')}${text(s)}`;

describe('encodeAuditLeaf', () => {
  it('when an event is encoded, then the bytes are the tag, each field length-prefixed or 0x00 for null, and the time in milliseconds', () => {
    const expected =
      text('wekeza/audit-event/v1\n') +
      present('aud_1') +
      present('u') +
      present('admin') +
      present('kyc.update') +
      present('customer') +
      '00' + // subject id: null
      '00' + // before: null
      present('{"tier":2}') +
      '0100000000' + // reason: the empty string, not null
      '00' + // request id: null
      '0000000000000102'; // 258 ms since the epoch, int64 big-endian
    expect(toHex(encodeAuditLeaf(event))).toBe(expected);
    expect(AUDIT_LEAF_TAG).toBe('wekeza/audit-event/v1\n');
  });

  it('when the leaf hash is taken, then it is SHA-256 of 0x00 and the leaf', async () => {
    const expected = createHash('sha256')
      .update(Uint8Array.of(0))
      .update(encodeAuditLeaf(event))
      .digest('hex');
    expect(toHex(await auditLeafHash(event))).toBe(expected);
  });

  it('when the time is a Date or any RFC 3339 spelling of the same instant, then the leaf is the same', () => {
    const leaf = toHex(encodeAuditLeaf(event));
    for (const createdAt of [new Date(258), '1970-01-01T00:00:00.258Z', '1970-01-01T03:00:00.258+03:00']) {
      expect(toHex(encodeAuditLeaf({ ...event, createdAt }))).toBe(leaf);
    }
  });

  it('when two events differ in any field, then their leaves differ', () => {
    const nullable = fc.option(fc.string({ unit: 'grapheme', maxLength: 6 }), { nil: null });
    const required = fc.string({ unit: 'grapheme', maxLength: 6 });
    const events = fc.record({
      id: required,
      actorId: required,
      actorRole: required,
      action: required,
      subjectType: required,
      subjectId: nullable,
      before: nullable,
      after: nullable,
      reason: nullable,
      requestId: nullable,
      createdAt: fc.integer({ min: -1e13, max: 1e13 }).map((ms) => new Date(ms)),
    });
    fc.assert(
      fc.property(events, events, (a, b) => {
        const same = JSON.stringify(a) === JSON.stringify(b);
        expect(toHex(encodeAuditLeaf(a)) === toHex(encodeAuditLeaf(b))).toBe(same);
      }),
      { numRuns: 500 },
    );
    // Shifting a boundary between neighbouring fields, or null against empty, changes the leaf.
    const leaf = (fields: Partial<AuditLeafFields>) => toHex(encodeAuditLeaf({ ...event, ...fields }));
    expect(leaf({ actorId: 'ab', actorRole: 'c' })).not.toBe(leaf({ actorId: 'a', actorRole: 'bc' }));
    expect(leaf({ reason: null })).not.toBe(leaf({ reason: '' }));
    expect(leaf({ subjectId: null, before: '' })).not.toBe(leaf({ subjectId: '', before: null }));
  });

  it('when a field cannot be encoded unambiguously, then encoding throws', () => {
    const bad: Partial<AuditLeafFields>[] = [
      { id: 'half a pair \u{d800}' },
      { actorId: null as never },
      { before: 42 as never },
      { createdAt: '1970-01-01' },
      { createdAt: '1970-01-01T00:00:00.2581Z' },
      { createdAt: 'yesterday' },
      { createdAt: new Date(Number.NaN) },
    ];
    for (const fields of bad) expect(() => encodeAuditLeaf({ ...event, ...fields })).toThrow(TypeError);
  });
});
