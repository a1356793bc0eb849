/** A fresh Idempotency-Key (UUID v4), also outside secure contexts where `randomUUID` is hidden. */
export { idempotencyKey as newIdempotencyKey } from '@wekeza/sdk';
