/**
 * Registers every staff widget (bankers and administrators) and the provider, for the Admin
 * Workbench. Kept apart from `define/all` so a customer page never loads the staff widgets.
 */
import './wk-provider.ts';
import './wk-login.ts';
import './wk-customer-search.ts';
import './wk-customer-360.ts';
import './wk-application-review.ts';
import './wk-approval-queue.ts';
import './wk-audit-log.ts';
import './wk-portfolio.ts';
import './wk-model-governance.ts';
import './wk-policy-editor.ts';

export * from '../staff.ts';
