-- Issue 10: Borrow. Loan products, credit decisions (every scoring, with the features it used),
-- applications, maker-checker approvals, loans with their instalments and status history, the
-- per-loan sub-ledger behind the loan control accounts, repayments, and daily portfolio snapshots.

CREATE TABLE loan_products (
  id                  VARCHAR(40)  NOT NULL PRIMARY KEY,
  name                VARCHAR(120) NOT NULL,
  currency            CHAR(3)      NOT NULL,
  interest_method     VARCHAR(24)  NOT NULL,
  amortization        VARCHAR(24)  NULL,
  annual_rate         VARCHAR(24)  NOT NULL,
  processing_fee_rate VARCHAR(24)  NOT NULL,
  penalty_rate        VARCHAR(24)  NOT NULL,
  min_amount_minor    BIGINT       NOT NULL,
  max_amount_minor    BIGINT       NOT NULL,
  min_term_months     INT          NOT NULL,
  max_term_months     INT          NOT NULL,
  grace_days          INT          NOT NULL,
  write_off_days      INT          NOT NULL,
  status              VARCHAR(16)  NOT NULL,
  created_at          DATETIME(3)  NOT NULL,
  CONSTRAINT loan_products_method_check CHECK (interest_method IN ('declining_balance', 'flat')),
  CONSTRAINT loan_products_amortization_check CHECK (
    (interest_method = 'flat' AND amortization IS NULL) OR
    (interest_method = 'declining_balance' AND amortization IN ('equal_instalments', 'equal_principal'))),
  CONSTRAINT loan_products_amounts_check CHECK (min_amount_minor > 0 AND max_amount_minor >= min_amount_minor),
  CONSTRAINT loan_products_terms_check CHECK (min_term_months >= 1 AND max_term_months >= min_term_months),
  CONSTRAINT loan_products_days_check CHECK (grace_days >= 0 AND write_off_days >= 1),
  CONSTRAINT loan_products_status_check CHECK (status IN ('active', 'retired'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every scoring (a credit-limit query or an application): what the engine saw and answered. Immutable.
CREATE TABLE credit_decisions (
  id             VARCHAR(40) NOT NULL PRIMARY KEY,
  customer_id    VARCHAR(40) NOT NULL,
  kind           VARCHAR(16) NOT NULL,
  bank_date      CHAR(10)    NOT NULL,
  currency       CHAR(3)     NOT NULL,
  decision       VARCHAR(16) NOT NULL,
  score          INT         NOT NULL,
  pd             VARCHAR(24) NOT NULL,
  grade          VARCHAR(8)  NOT NULL,
  limit_minor    BIGINT      NOT NULL,
  model_version  VARCHAR(80) NOT NULL,
  policy_version VARCHAR(80) NOT NULL,
  reasons        MEDIUMTEXT  NOT NULL,
  rules          MEDIUMTEXT  NOT NULL,
  features       MEDIUMTEXT  NOT NULL,
  bureau         MEDIUMTEXT  NOT NULL,
  shadow         MEDIUMTEXT  NOT NULL,
  created_at     DATETIME(3) NOT NULL,
  INDEX credit_decisions_customer_id_id_idx (customer_id, id),
  CONSTRAINT credit_decisions_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES users (id),
  CONSTRAINT credit_decisions_kind_check CHECK (kind IN ('credit_limit', 'application')),
  CONSTRAINT credit_decisions_decision_check CHECK (decision IN ('approved', 'declined', 'referred')),
  CONSTRAINT credit_decisions_score_check CHECK (score BETWEEN 0 AND 1000),
  CONSTRAINT credit_decisions_limit_check CHECK (limit_minor >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE loan_applications (
  id                   VARCHAR(40)  NOT NULL PRIMARY KEY,
  customer_id          VARCHAR(40)  NOT NULL,
  product_id           VARCHAR(40)  NOT NULL,
  currency             CHAR(3)      NOT NULL,
  amount_minor         BIGINT       NOT NULL,
  term_months          INT          NOT NULL,
  purpose              VARCHAR(200) NULL,
  decision_id          VARCHAR(40)  NOT NULL,
  decision             VARCHAR(16)  NOT NULL,
  status               VARCHAR(24)  NOT NULL,
  offer_amount_minor   BIGINT       NULL,
  offer_term_months    INT          NULL,
  offer_expires_on     CHAR(10)     NULL,
  override_decision    VARCHAR(16)  NULL,
  override_reason      VARCHAR(500) NULL,
  overridden_by        VARCHAR(40)  NULL,
  override_approved_by VARCHAR(40)  NULL,
  overridden_at        DATETIME(3)  NULL,
  loan_id              VARCHAR(40)  NULL,
  created_at           DATETIME(3)  NOT NULL,
  updated_at           DATETIME(3)  NOT NULL,
  CONSTRAINT loan_applications_loan_id_key UNIQUE (loan_id),
  INDEX loan_applications_customer_id_id_idx (customer_id, id),
  CONSTRAINT loan_applications_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES users (id),
  CONSTRAINT loan_applications_product_id_fkey FOREIGN KEY (product_id) REFERENCES loan_products (id),
  CONSTRAINT loan_applications_decision_id_fkey FOREIGN KEY (decision_id) REFERENCES credit_decisions (id),
  CONSTRAINT loan_applications_amount_check CHECK (amount_minor > 0 AND term_months >= 1),
  CONSTRAINT loan_applications_decision_check CHECK (decision IN ('approved', 'declined', 'referred')),
  CONSTRAINT loan_applications_status_check CHECK (
    status IN ('approved', 'declined', 'referred', 'pending_approval', 'accepted')),
  CONSTRAINT loan_applications_offer_check CHECK (
    (offer_amount_minor IS NULL) = (offer_term_months IS NULL) AND (offer_amount_minor IS NULL OR offer_amount_minor > 0))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Maker-checker: an action one member of staff asks for and a second one decides. Generic by kind
-- (loan overrides now; policy changes and model activation later). `pending_key` is set while the
-- request is pending, so a subject has at most one pending request of a kind.
CREATE TABLE approvals (
  id             VARCHAR(40)  NOT NULL PRIMARY KEY,
  kind           VARCHAR(48)  NOT NULL,
  subject_type   VARCHAR(32)  NOT NULL,
  subject_id     VARCHAR(64)  NOT NULL,
  payload        MEDIUMTEXT   NOT NULL,
  status         VARCHAR(16)  NOT NULL,
  pending_key    VARCHAR(160) NULL,
  maker_id       VARCHAR(40)  NOT NULL,
  maker_role     VARCHAR(16)  NOT NULL,
  maker_reason   VARCHAR(500) NOT NULL,
  checker_id     VARCHAR(40)  NULL,
  checker_reason VARCHAR(500) NULL,
  created_at     DATETIME(3)  NOT NULL,
  decided_at     DATETIME(3)  NULL,
  CONSTRAINT approvals_pending_key_key UNIQUE (pending_key),
  INDEX approvals_status_id_idx (status, id),
  CONSTRAINT approvals_status_check CHECK (status IN ('pending', 'approved', 'rejected')),
  CONSTRAINT approvals_checker_check CHECK (checker_id IS NULL OR checker_id <> maker_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE loans (
  id                           VARCHAR(40) NOT NULL PRIMARY KEY,
  loan_number                  VARCHAR(12) NOT NULL,
  customer_id                  VARCHAR(40) NOT NULL,
  product_id                   VARCHAR(40) NOT NULL,
  application_id               VARCHAR(40) NULL,
  wallet_account_id            VARCHAR(64) NOT NULL,
  currency                     CHAR(3)     NOT NULL,
  principal_minor              BIGINT      NOT NULL,
  term_months                  INT         NOT NULL,
  interest_method              VARCHAR(24) NOT NULL,
  amortization                 VARCHAR(24) NULL,
  annual_rate                  VARCHAR(24) NOT NULL,
  processing_fee_rate          VARCHAR(24) NOT NULL,
  processing_fee_minor         BIGINT      NOT NULL,
  penalty_rate                 VARCHAR(24) NOT NULL,
  grace_days                   INT         NOT NULL,
  write_off_days               INT         NOT NULL,
  disbursement_date            CHAR(10)    NOT NULL,
  channel                      VARCHAR(16) NOT NULL,
  status                       VARCHAR(24) NOT NULL,
  score                        INT         NULL,
  principal_outstanding_minor  BIGINT      NOT NULL,
  days_past_due                INT         NOT NULL,
  worst_days_past_due          INT         NOT NULL,
  interest_accrued_through     CHAR(10)    NOT NULL,
  arrears_through              CHAR(10)    NOT NULL,
  penalty_carry                VARCHAR(40) NOT NULL,
  in_duplum_cap_minor          BIGINT      NULL,
  in_duplum_charged_minor      BIGINT      NULL,
  written_off_minor            BIGINT      NOT NULL,
  recovered_minor              BIGINT      NOT NULL,
  closed_on                    CHAR(10)    NULL,
  created_at                   DATETIME(3) NOT NULL,
  CONSTRAINT loans_loan_number_key UNIQUE (loan_number),
  CONSTRAINT loans_application_id_key UNIQUE (application_id),
  INDEX loans_customer_id_id_idx (customer_id, id),
  INDEX loans_status_id_idx (status, id),
  CONSTRAINT loans_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES users (id),
  CONSTRAINT loans_product_id_fkey FOREIGN KEY (product_id) REFERENCES loan_products (id),
  CONSTRAINT loans_wallet_account_id_fkey FOREIGN KEY (wallet_account_id) REFERENCES accounts (id),
  CONSTRAINT loans_status_check CHECK (
    status IN ('pending_disbursement', 'disbursed', 'active', 'in_arrears', 'closed', 'written_off')),
  CONSTRAINT loans_number_check CHECK (loan_number REGEXP '^[0-9]{6,12}$'),
  CONSTRAINT loans_amounts_check CHECK (
    principal_minor > 0 AND principal_outstanding_minor >= 0 AND processing_fee_minor >= 0
    AND written_off_minor >= 0 AND recovered_minor >= 0 AND recovered_minor <= written_off_minor),
  CONSTRAINT loans_dpd_check CHECK (days_past_due >= 0 AND worst_days_past_due >= days_past_due),
  CONSTRAINT loans_in_duplum_check CHECK ((in_duplum_cap_minor IS NULL) = (in_duplum_charged_minor IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A loan's schedule and what happened to each instalment (loan-state.ts InstalmentState).
CREATE TABLE loan_instalments (
  loan_id                     VARCHAR(40) NOT NULL,
  n                           INT         NOT NULL,
  period_start                CHAR(10)    NOT NULL,
  due_date                    CHAR(10)    NOT NULL,
  principal_minor             BIGINT      NOT NULL,
  interest_minor              BIGINT      NOT NULL,
  fees_minor                  BIGINT      NOT NULL,
  penalties_minor             BIGINT      NOT NULL,
  interest_waived_minor       BIGINT      NOT NULL,
  paid_principal_minor        BIGINT      NOT NULL,
  paid_interest_minor         BIGINT      NOT NULL,
  paid_fees_minor             BIGINT      NOT NULL,
  paid_penalties_minor        BIGINT      NOT NULL,
  settled                     BOOLEAN     NOT NULL,
  settled_on                  CHAR(10)    NULL,
  closed_early_due_date       CHAR(10)    NULL,
  closed_early_interest_minor BIGINT      NULL,
  PRIMARY KEY (loan_id, n),
  -- The arrears job reads only loans with an unsettled instalment already due.
  INDEX loan_instalments_settled_due_date_idx (settled, due_date),
  CONSTRAINT loan_instalments_loan_id_fkey FOREIGN KEY (loan_id) REFERENCES loans (id),
  CONSTRAINT loan_instalments_amounts_check CHECK (
    principal_minor >= 0 AND interest_minor >= 0 AND fees_minor >= 0 AND penalties_minor >= 0
    AND interest_waived_minor >= 0 AND interest_waived_minor <= interest_minor
    AND paid_principal_minor BETWEEN 0 AND principal_minor
    AND paid_interest_minor BETWEEN 0 AND interest_minor - interest_waived_minor
    AND paid_fees_minor BETWEEN 0 AND fees_minor
    AND paid_penalties_minor BETWEEN 0 AND penalties_minor)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every status a loan passed through, in order. Immutable.
CREATE TABLE loan_status_history (
  loan_id    VARCHAR(40)  NOT NULL,
  seq        INT          NOT NULL,
  status     VARCHAR(24)  NOT NULL,
  bank_date  CHAR(10)     NOT NULL,
  reason     VARCHAR(500) NULL,
  changed_at DATETIME(3)  NOT NULL,
  PRIMARY KEY (loan_id, seq),
  CONSTRAINT loan_status_history_loan_id_fkey FOREIGN KEY (loan_id) REFERENCES loans (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The loans' sub-ledger: each loan's share of every journal entry on the loan control accounts
-- (principal, interest, fees and penalties receivable; interest in suspense). A positive amount
-- raises the component. Σ per component over all loans = the control account's balance. Immutable.
CREATE TABLE loan_postings (
  id             VARCHAR(40) NOT NULL PRIMARY KEY,
  loan_id        VARCHAR(40) NOT NULL,
  entry_id       VARCHAR(40) NOT NULL,
  effective_date CHAR(10)    NOT NULL,
  kind           VARCHAR(24) NOT NULL,
  component      VARCHAR(24) NOT NULL,
  amount_minor   BIGINT      NOT NULL,
  INDEX loan_postings_loan_id_effective_date_idx (loan_id, effective_date),
  CONSTRAINT loan_postings_loan_id_fkey FOREIGN KEY (loan_id) REFERENCES loans (id),
  CONSTRAINT loan_postings_entry_id_fkey FOREIGN KEY (entry_id) REFERENCES journal_entries (id),
  CONSTRAINT loan_postings_component_check CHECK (
    component IN ('principal', 'interest', 'fees', 'penalties', 'interest_suspense', 'penalties_suspense')),
  CONSTRAINT loan_postings_amount_check CHECK (amount_minor <> 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Money received for a loan (from a wallet, or a rail such as an M-Pesa paybill), and how it was split.
CREATE TABLE loan_repayments (
  id              VARCHAR(40)  NOT NULL PRIMARY KEY,
  loan_id         VARCHAR(40)  NOT NULL,
  kind            VARCHAR(16)  NOT NULL,
  channel         VARCHAR(16)  NOT NULL,
  external_ref    VARCHAR(100) NULL,
  source_account_id VARCHAR(64) NOT NULL,
  amount_minor    BIGINT       NOT NULL,
  principal_minor BIGINT       NOT NULL,
  interest_minor  BIGINT       NOT NULL,
  fees_minor      BIGINT       NOT NULL,
  penalties_minor BIGINT       NOT NULL,
  excess_minor    BIGINT       NOT NULL,
  entry_id        VARCHAR(40)  NOT NULL,
  bank_date       CHAR(10)     NOT NULL,
  initiated_by    VARCHAR(64)  NOT NULL,
  created_at      DATETIME(3)  NOT NULL,
  CONSTRAINT loan_repayments_channel_external_ref_key UNIQUE (channel, external_ref),
  INDEX loan_repayments_loan_id_idx (loan_id),
  CONSTRAINT loan_repayments_loan_id_fkey FOREIGN KEY (loan_id) REFERENCES loans (id),
  CONSTRAINT loan_repayments_entry_id_fkey FOREIGN KEY (entry_id) REFERENCES journal_entries (id),
  CONSTRAINT loan_repayments_kind_check CHECK (kind IN ('repayment', 'recovery')),
  CONSTRAINT loan_repayments_amount_check CHECK (amount_minor > 0 AND excess_minor >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The portfolio at the end of each bank day, per currency (GET /v1/risk/portfolio/history).
CREATE TABLE portfolio_snapshots (
  bank_date                   CHAR(10)    NOT NULL,
  currency                    CHAR(3)     NOT NULL,
  loans                       INT         NOT NULL,
  outstanding_principal_minor BIGINT      NOT NULL,
  npl_principal_minor         BIGINT      NOT NULL,
  par30_principal_minor       BIGINT      NOT NULL,
  npl_ratio                   VARCHAR(12) NOT NULL,
  par30                       VARCHAR(12) NOT NULL,
  by_bucket                   MEDIUMTEXT  NOT NULL,
  by_class                    MEDIUMTEXT  NOT NULL,
  created_at                  DATETIME(3) NOT NULL,
  PRIMARY KEY (bank_date, currency)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TRIGGER credit_decisions_no_update BEFORE UPDATE ON credit_decisions FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'credit decisions are immutable';
CREATE TRIGGER credit_decisions_no_delete BEFORE DELETE ON credit_decisions FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'credit decisions are immutable';
CREATE TRIGGER loan_postings_no_update BEFORE UPDATE ON loan_postings FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'loan postings are immutable';
CREATE TRIGGER loan_postings_no_delete BEFORE DELETE ON loan_postings FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'loan postings are immutable';
CREATE TRIGGER loan_status_history_no_update BEFORE UPDATE ON loan_status_history FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'loan status history is immutable';
CREATE TRIGGER loan_status_history_no_delete BEFORE DELETE ON loan_status_history FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'loan status history is immutable';
CREATE TRIGGER loan_repayments_no_update BEFORE UPDATE ON loan_repayments FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'loan repayments are immutable';
CREATE TRIGGER loan_repayments_no_delete BEFORE DELETE ON loan_repayments FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'loan repayments are immutable';
