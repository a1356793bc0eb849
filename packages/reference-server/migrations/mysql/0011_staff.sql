-- The bank's own staff (issue 13): KYC tier history with its evidence, the credit policy as data
-- (every version kept; the highest is in force) and model activations with the governance numbers
-- at that moment. All three are append-only.
CREATE TABLE kyc_tier_changes (
  id          VARCHAR(40)  NOT NULL PRIMARY KEY,
  customer_id VARCHAR(40)  NOT NULL,
  from_tier   INT          NOT NULL,
  to_tier     INT          NOT NULL,
  evidence    VARCHAR(500) NOT NULL,
  changed_by  VARCHAR(40)  NOT NULL,
  created_at  DATETIME(3)  NOT NULL,
  INDEX kyc_tier_changes_customer_idx (customer_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE risk_policies (
  id          VARCHAR(40)  NOT NULL PRIMARY KEY,
  version     INT          NOT NULL,
  policy_id   VARCHAR(64)  NOT NULL,
  rules       MEDIUMTEXT   NOT NULL,
  reason      VARCHAR(500) NOT NULL,
  created_by  VARCHAR(40)  NOT NULL,
  approved_by VARCHAR(40)  NULL,
  created_at  DATETIME(3)  NOT NULL,
  CONSTRAINT risk_policies_version_key UNIQUE (version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE risk_model_activations (
  id               VARCHAR(40)  NOT NULL PRIMARY KEY,
  model_version    VARCHAR(100) NOT NULL,
  previous_version VARCHAR(100) NULL,
  governance       MEDIUMTEXT   NOT NULL,
  reason           VARCHAR(500) NOT NULL,
  activated_by     VARCHAR(40)  NOT NULL,
  approved_by      VARCHAR(40)  NULL,
  created_at       DATETIME(3)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TRIGGER kyc_tier_changes_no_update BEFORE UPDATE ON kyc_tier_changes FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'kyc_tier_changes are append-only';
CREATE TRIGGER kyc_tier_changes_no_delete BEFORE DELETE ON kyc_tier_changes FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'kyc_tier_changes are append-only';
CREATE TRIGGER risk_policies_no_update BEFORE UPDATE ON risk_policies FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'risk_policies are append-only';
CREATE TRIGGER risk_policies_no_delete BEFORE DELETE ON risk_policies FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'risk_policies are append-only';
CREATE TRIGGER risk_model_activations_no_update BEFORE UPDATE ON risk_model_activations FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'risk_model_activations are append-only';
CREATE TRIGGER risk_model_activations_no_delete BEFORE DELETE ON risk_model_activations FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'risk_model_activations are append-only';
