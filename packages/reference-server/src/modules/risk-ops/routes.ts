import {
  ActivateRiskModelRequest,
  RiskGovernance,
  RiskGovernanceQuery,
  RiskModelActivationResult,
  RiskModelCompareQuery,
  RiskModelComparison,
  RiskModelList,
  RiskPolicy,
  RiskPolicyDryRun,
  RiskPolicyDryRunRequest,
  RiskPolicyUpdate,
  UpdateRiskPolicyRequest,
} from '@wekeza/sdk/contract';
import type { Api } from '../../http/api.ts';
import { timestamp } from '../../http/render.ts';
import { renderApproval } from '../loans/render.ts';
import type { GovernanceFigures } from './governance.ts';
import { BAD_DEFINITION } from './governance.ts';
import { type ActivationRow, type PolicyView, type RiskOpsService, rulesOf } from './service.ts';

function renderPolicy({ policy, row }: PolicyView) {
  return {
    id: policy.id,
    version: policy.version,
    policy_version: `${policy.id}@${policy.version}`,
    rules: rulesOf(policy),
    reason: row?.reason ?? null,
    created_by: row?.createdBy ?? null,
    approved_by: row?.approvedBy ?? null,
    created_at: row ? timestamp(row.createdAt) : null,
  };
}

function renderActivation(row: ActivationRow) {
  return {
    id: row.id,
    version: row.modelVersion,
    previous_version: row.previousVersion,
    governance: JSON.parse(row.governance) as GovernanceFigures,
    reason: row.reason,
    activated_by: row.activatedBy,
    approved_by: row.approvedBy,
    created_at: timestamp(row.createdAt),
  };
}

const ADMIN = { tag: 'Administrator', auth: ['admin' as const], hidden: true };

/** Risk Ops (administrators): models, policy as data with a dry run, governance. */
export function riskOpsRoutes(api: Api, risk: RiskOpsService): void {
  api.route(
    {
      method: 'get',
      path: '/v1/risk/models',
      operationId: 'listRiskModels',
      summary: 'Admins: the scoring models (champion first) with governance numbers on the bank’s own loans',
      ...ADMIN,
      scopes: ['risk:read'],
      responses: { 200: { description: 'Every registered model.', schema: RiskModelList } },
    },
    async ({ principal }) => {
      const models = await risk.models(principal);
      return {
        status: 200,
        body: {
          data: models.map((m) => ({
            version: m.version,
            name: m.scorer.name,
            role: m.role,
            description: m.artifact?.description ?? null,
            trained_at: m.artifact?.trainedAt ?? null,
            training: m.artifact?.training
              ? {
                  rows: m.artifact.training.rows,
                  bad_rate: m.artifact.training.badRate.toFixed(4),
                  auc: m.artifact.training.metrics?.auc?.toFixed(4) ?? null,
                  ks: m.artifact.training.metrics?.ks?.toFixed(4) ?? null,
                }
              : null,
            governance: m.governance,
            activated_at: m.activation ? timestamp(m.activation.createdAt) : null,
            activated_by: m.activation?.activatedBy ?? null,
          })),
          has_more: false,
          next_cursor: null,
        },
      };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/risk/models/compare',
      operationId: 'compareRiskModels',
      summary: 'Admins: models side by side on the same matured loans and recent applicants',
      ...ADMIN,
      scopes: ['risk:read'],
      query: RiskModelCompareQuery,
      responses: { 200: { description: 'The comparison.', schema: RiskModelComparison } },
    },
    async ({ principal, query }) => ({
      status: 200,
      body: await risk.compare(
        principal,
        query.versions
          ?.split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      ),
    }),
  );

  api.route(
    {
      method: 'post',
      path: '/v1/risk/models/{version}/activate',
      operationId: 'activateRiskModel',
      summary:
        'Admins: make a challenger the champion (audited, governance numbers stored; a second admin approves when configured)',
      ...ADMIN,
      scopes: ['risk:write'],
      body: ActivateRiskModelRequest,
      idempotency: 'optional',
      responses: {
        200: { description: 'Activated.', schema: RiskModelActivationResult },
        202: { description: 'Waiting for a second admin (the approval).', schema: RiskModelActivationResult },
        409: { description: '`conflict`: already the champion, or a request is already waiting.' },
      },
    },
    async ({ principal, params, body, idempotent }) => {
      const reply = await idempotent(async (tx) => {
        const result = await risk.activate(tx, principal, params.version as string, body.reason);
        return 'approval' in result
          ? { status: 202, body: renderApproval(result.approval) }
          : { status: 200, body: renderActivation(result.activation) };
      });
      risk.invalidate();
      return reply;
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/risk/policy',
      operationId: 'getRiskPolicy',
      summary: 'Admins: the credit policy in force (cut-offs, hard rules, limits)',
      ...ADMIN,
      scopes: ['risk:read'],
      responses: { 200: { description: 'The policy.', schema: RiskPolicy } },
    },
    async ({ principal }) => ({ status: 200, body: renderPolicy(await risk.policy(principal)) }),
  );

  api.route(
    {
      method: 'put',
      path: '/v1/risk/policy',
      operationId: 'updateRiskPolicy',
      summary:
        'Admins: change the credit policy (validated; audited; a second admin approves when configured)',
      ...ADMIN,
      scopes: ['risk:write'],
      body: UpdateRiskPolicyRequest,
      idempotency: 'optional',
      responses: {
        200: { description: 'The policy now in force.', schema: RiskPolicyUpdate },
        202: { description: 'Waiting for a second admin (the approval).', schema: RiskPolicyUpdate },
        409: { description: '`conflict`: a policy change is already waiting.' },
      },
    },
    async ({ principal, body, idempotent }) => {
      const reply = await idempotent(async (tx) => {
        const result = await risk.updatePolicy(tx, principal, body.rules, body.reason);
        return 'approval' in result
          ? { status: 202, body: renderApproval(result.approval) }
          : { status: 200, body: renderPolicy(result.policy) };
      });
      risk.invalidate();
      return reply;
    },
  );

  api.route(
    {
      method: 'post',
      path: '/v1/risk/policy/dry-run',
      operationId: 'dryRunRiskPolicy',
      summary: 'Admins: what proposed rules would have decided on the last N applications (saves nothing)',
      ...ADMIN,
      scopes: ['risk:read'],
      body: RiskPolicyDryRunRequest,
      responses: { 200: { description: 'Before and after.', schema: RiskPolicyDryRun } },
    },
    async ({ principal, body }) => {
      const r = await risk.dryRun(principal, body.rules, body.last_n);
      const more = r.newlyApproved - r.newlyDeclined;
      const summary =
        r.applications === 0
          ? 'There are no applications to try the change on yet.'
          : `Over the last ${r.applications} applications this change would have approved ${r.proposed.approved - r.current.approved >= 0 ? `${r.proposed.approved - r.current.approved} more` : `${r.current.approved - r.proposed.approved} fewer`} (${r.newlyApproved} newly approved${r.expectedBadRateOfNewlyApproved ? ` at expected bad rate ${r.expectedBadRateOfNewlyApproved}` : ''}, ${r.newlyDeclined} newly declined; net ${more}); expected bad rate of all approved ${r.proposed.expectedBadRate ?? 'n/a'} (now ${r.current.expectedBadRate ?? 'n/a'}).`;
      const outcomes = (o: typeof r.current) => ({
        approved: o.approved,
        referred: o.referred,
        declined: o.declined,
        approval_rate: o.approvalRate,
        expected_bad_rate: o.expectedBadRate,
      });
      return {
        status: 200,
        body: {
          applications: r.applications,
          from: r.from ? timestamp(r.from) : null,
          to: r.to ? timestamp(r.to) : null,
          model_version: r.modelVersion,
          current: outcomes(r.current),
          proposed: outcomes(r.proposed),
          newly_approved: r.newlyApproved,
          newly_declined: r.newlyDeclined,
          changed: r.changed,
          expected_bad_rate_of_newly_approved: r.expectedBadRateOfNewlyApproved,
          summary,
        },
      };
    },
  );

  api.route(
    {
      method: 'get',
      path: '/v1/risk/governance',
      operationId: 'getRiskGovernance',
      summary:
        'Admins: AUC, KS, PSI (recent applicants vs training) and calibration by score band of the champion on the bank’s matured loans',
      ...ADMIN,
      scopes: ['risk:read'],
      query: RiskGovernanceQuery,
      responses: {
        200: { description: 'The figures (null until the book can say).', schema: RiskGovernance },
      },
    },
    async ({ principal, query }) => {
      const g = await risk.governance(principal, query.currency, query.version);
      return {
        status: 200,
        body: {
          model_version: g.version,
          role: g.role,
          currency: g.currency,
          bad_definition: BAD_DEFINITION,
          ...g.figures,
        },
      };
    },
  );
}
