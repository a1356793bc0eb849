import type { StaffMock } from './staff.ts';

/**
 * How mock mode finds its staff side. The staff widgets set it when they load, so a customer page
 * in mock mode never bundles the staff fixtures (nor the audit-log signer they use).
 */
let loader: (() => Promise<StaffMock>) | undefined;

export function setStaffMockLoader(load: () => Promise<StaffMock>): void {
  loader ??= load;
}

export function staffMockLoader(): (() => Promise<StaffMock>) | undefined {
  return loader;
}
