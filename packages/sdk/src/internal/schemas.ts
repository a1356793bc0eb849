import type * as Contract from '../contract/index.ts';

export type ContractModule = typeof Contract;
/** Picks a response schema out of the contract, which is loaded only when a response needs checking. */
export type SchemaPick<S> = (contract: ContractModule) => S;

let loading: Promise<ContractModule> | undefined;

/**
 * The contract's zod/mini schemas, loaded on first use. They (with zod) are two thirds of the
 * SDK's weight, so a browser bundle keeps them in a chunk of their own, fetched with the first
 * response rather than before the page can construct a client.
 */
export function loadContract(): Promise<ContractModule> {
  loading ??= import('../contract/index.ts');
  return loading;
}
