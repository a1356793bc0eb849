-- Same tables as migrations/mysql/0011_staff.sql.
CREATE TABLE kyc_tier_changes (
  id          TEXT     NOT NULL PRIMARY KEY,
  customer_id TEXT     NOT NULL,
  from_tier   INTEGER  NOT NULL,
  to_tier     INTEGER  NOT NULL,
  evidence    TEXT     NOT NULL,
  changed_by  TEXT     NOT NULL,
  created_at  DATETIME NOT NULL
);
CREATE INDEX kyc_tier_changes_customer_idx ON kyc_tier_changes (customer_id, id);

CREATE TABLE risk_policies (
  id          TEXT     NOT NULL PRIMARY KEY,
  version     INTEGER  NOT NULL,
  policy_id   TEXT     NOT NULL,
  rules       TEXT     NOT NULL,
  reason      TEXT     NOT NULL,
  created_by  TEXT     NOT NULL,
  approved_by TEXT     NULL,
  created_at  DATETIME NOT NULL
);
CREATE UNIQUE INDEX risk_policies_version_key ON risk_policies (version);

CREATE TABLE risk_model_activations (
  id               TEXT     NOT NULL PRIMARY KEY,
  model_version    TEXT     NOT NULL,
  previous_version TEXT     NULL,
  governance       TEXT     NOT NULL,
  reason           TEXT     NOT NULL,
  activated_by     TEXT     NOT NULL,
  approved_by      TEXT     NULL,
  created_at       DATETIME NOT NULL
);

CREATE TRIGGER kyc_tier_changes_no_update BEFORE UPDATE ON kyc_tier_changes
BEGIN SELECT RAISE(ABORT, 'kyc_tier_changes are append-only'); END;
CREATE TRIGGER kyc_tier_changes_no_delete BEFORE DELETE ON kyc_tier_changes
BEGIN SELECT RAISE(ABORT, 'kyc_tier_changes are append-only'); END;
CREATE TRIGGER risk_policies_no_update BEFORE UPDATE ON risk_policies
BEGIN SELECT RAISE(ABORT, 'risk_policies are append-only'); END;
CREATE TRIGGER risk_policies_no_delete BEFORE DELETE ON risk_policies
BEGIN SELECT RAISE(ABORT, 'risk_policies are append-only'); END;
CREATE TRIGGER risk_model_activations_no_update BEFORE UPDATE ON risk_model_activations
BEGIN SELECT RAISE(ABORT, 'risk_model_activations are append-only'); END;
CREATE TRIGGER risk_model_activations_no_delete BEFORE DELETE ON risk_model_activations
BEGIN SELECT RAISE(ABORT, 'risk_model_activations are append-only'); END;
