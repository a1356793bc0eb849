/** @wekeza/sdk: the money type and (through `@wekeza/sdk/contract`) the API contract. */
export * from './money/index.ts';
