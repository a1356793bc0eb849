-- Same tables, constraints and triggers as migrations/mysql/0007_loans.sql.

CREATE TABLE loan_products (
  id                  TEXT     NOT NULL PRIMARY KEY,
  name                TEXT     NOT NULL,
  currency            TEXT     NOT NULL,
  interest_method     TEXT     NOT NULL CHECK (interest_method IN ('declining_balance', 'flat')),
  amortization        TEXT     NULL,
  annual_rate         TEXT     NOT NULL,
  processing_fee_rate TEXT     NOT NULL,
  penalty_rate        TEXT     NOT NULL,
  min_amount_minor    BIGINT   NOT NULL,
  max_amount_minor    BIGINT   NOT NULL,
  min_term_months     INTEGER  NOT NULL,
  max_term_months     INTEGER  NOT NULL,
  grace_days          INTEGER  NOT NULL,
  write_off_days      INTEGER  NOT NULL,
  status              TEXT     NOT NULL CHECK (status IN ('active', 'retired')),
  created_at          DATETIME NOT NULL,
  CHECK ((interest_method = 'flat' AND amortization IS NULL) OR
         (interest_method = 'declining_balance' AND amortization IN ('equal_instalments', 'equal_principal'))),
  CHECK (min_amount_minor > 0 AND max_amount_minor >= min_amount_minor),
  CHECK (min_term_months >= 1 AND max_term_months >= min_term_months),
  CHECK (grace_days >= 0 AND write_off_days >= 1)
);

CREATE TABLE credit_decisions (
  id             TEXT     NOT NULL PRIMARY KEY,
  customer_id    TEXT     NOT NULL REFERENCES users (id),
  kind           TEXT     NOT NULL CHECK (kind IN ('credit_limit', 'application')),
  bank_date      TEXT     NOT NULL,
  currency       TEXT     NOT NULL,
  decision       TEXT     NOT NULL CHECK (decision IN ('approved', 'declined', 'referred')),
  score          INTEGER  NOT NULL CHECK (score BETWEEN 0 AND 1000),
  pd             TEXT     NOT NULL,
  grade          TEXT     NOT NULL,
  limit_minor    BIGINT   NOT NULL CHECK (limit_minor >= 0),
  model_version  TEXT     NOT NULL,
  policy_version TEXT     NOT NULL,
  reasons        TEXT     NOT NULL,
  rules          TEXT     NOT NULL,
  features       TEXT     NOT NULL,
  bureau         TEXT     NOT NULL,
  shadow         TEXT     NOT NULL,
  created_at     DATETIME NOT NULL
);
CREATE INDEX credit_decisions_customer_id_id_idx ON credit_decisions (customer_id, id);

CREATE TABLE loan_applications (
  id                   TEXT     NOT NULL PRIMARY KEY,
  customer_id          TEXT     NOT NULL REFERENCES users (id),
  product_id           TEXT     NOT NULL REFERENCES loan_products (id),
  currency             TEXT     NOT NULL,
  amount_minor         BIGINT   NOT NULL,
  term_months          INTEGER  NOT NULL,
  purpose              TEXT     NULL,
  decision_id          TEXT     NOT NULL REFERENCES credit_decisions (id),
  decision             TEXT     NOT NULL CHECK (decision IN ('approved', 'declined', 'referred')),
  status               TEXT     NOT NULL
    CHECK (status IN ('approved', 'declined', 'referred', 'pending_approval', 'accepted')),
  offer_amount_minor   BIGINT   NULL,
  offer_term_months    INTEGER  NULL,
  offer_expires_on     TEXT     NULL,
  override_decision    TEXT     NULL,
  override_reason      TEXT     NULL,
  overridden_by        TEXT     NULL,
  override_approved_by TEXT     NULL,
  overridden_at        DATETIME NULL,
  loan_id              TEXT     NULL,
  created_at           DATETIME NOT NULL,
  updated_at           DATETIME NOT NULL,
  CHECK (amount_minor > 0 AND term_months >= 1),
  CHECK ((offer_amount_minor IS NULL) = (offer_term_months IS NULL) AND (offer_amount_minor IS NULL OR offer_amount_minor > 0))
);
CREATE UNIQUE INDEX loan_applications_loan_id_key ON loan_applications (loan_id);
CREATE INDEX loan_applications_customer_id_id_idx ON loan_applications (customer_id, id);

CREATE TABLE approvals (
  id             TEXT     NOT NULL PRIMARY KEY,
  kind           TEXT     NOT NULL,
  subject_type   TEXT     NOT NULL,
  subject_id     TEXT     NOT NULL,
  payload        TEXT     NOT NULL,
  status         TEXT     NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  pending_key    TEXT     NULL,
  maker_id       TEXT     NOT NULL,
  maker_role     TEXT     NOT NULL,
  maker_reason   TEXT     NOT NULL,
  checker_id     TEXT     NULL,
  checker_reason TEXT     NULL,
  created_at     DATETIME NOT NULL,
  decided_at     DATETIME NULL,
  CHECK (checker_id IS NULL OR checker_id <> maker_id)
);
CREATE UNIQUE INDEX approvals_pending_key_key ON approvals (pending_key);
CREATE INDEX approvals_status_id_idx ON approvals (status, id);

CREATE TABLE loans (
  id                           TEXT     NOT NULL PRIMARY KEY,
  loan_number                  TEXT     NOT NULL
    CHECK (length(loan_number) BETWEEN 6 AND 12 AND loan_number NOT GLOB '*[^0-9]*'),
  customer_id                  TEXT     NOT NULL REFERENCES users (id),
  product_id                   TEXT     NOT NULL REFERENCES loan_products (id),
  application_id               TEXT     NULL,
  wallet_account_id            TEXT     NOT NULL REFERENCES accounts (id),
  currency                     TEXT     NOT NULL,
  principal_minor              BIGINT   NOT NULL,
  term_months                  INTEGER  NOT NULL,
  interest_method              TEXT     NOT NULL,
  amortization                 TEXT     NULL,
  annual_rate                  TEXT     NOT NULL,
  processing_fee_rate          TEXT     NOT NULL,
  processing_fee_minor         BIGINT   NOT NULL,
  penalty_rate                 TEXT     NOT NULL,
  grace_days                   INTEGER  NOT NULL,
  write_off_days               INTEGER  NOT NULL,
  disbursement_date            TEXT     NOT NULL,
  channel                      TEXT     NOT NULL,
  status                       TEXT     NOT NULL CHECK (
    status IN ('pending_disbursement', 'disbursed', 'active', 'in_arrears', 'closed', 'written_off')),
  score                        INTEGER  NULL,
  principal_outstanding_minor  BIGINT   NOT NULL,
  days_past_due                INTEGER  NOT NULL,
  worst_days_past_due          INTEGER  NOT NULL,
  interest_accrued_through     TEXT     NOT NULL,
  arrears_through              TEXT     NOT NULL,
  penalty_carry                TEXT     NOT NULL,
  in_duplum_cap_minor          BIGINT   NULL,
  in_duplum_charged_minor      BIGINT   NULL,
  written_off_minor            BIGINT   NOT NULL,
  recovered_minor              BIGINT   NOT NULL,
  closed_on                    TEXT     NULL,
  created_at                   DATETIME NOT NULL,
  CHECK (principal_minor > 0 AND principal_outstanding_minor >= 0 AND processing_fee_minor >= 0
    AND written_off_minor >= 0 AND recovered_minor >= 0 AND recovered_minor <= written_off_minor),
  CHECK (days_past_due >= 0 AND worst_days_past_due >= days_past_due),
  CHECK ((in_duplum_cap_minor IS NULL) = (in_duplum_charged_minor IS NULL))
);
CREATE UNIQUE INDEX loans_loan_number_key ON loans (loan_number);
CREATE UNIQUE INDEX loans_application_id_key ON loans (application_id);
CREATE INDEX loans_customer_id_id_idx ON loans (customer_id, id);
CREATE INDEX loans_status_id_idx ON loans (status, id);

CREATE TABLE loan_instalments (
  loan_id                     TEXT    NOT NULL REFERENCES loans (id),
  n                           INTEGER NOT NULL,
  period_start                TEXT    NOT NULL,
  due_date                    TEXT    NOT NULL,
  principal_minor             BIGINT  NOT NULL,
  interest_minor              BIGINT  NOT NULL,
  fees_minor                  BIGINT  NOT NULL,
  penalties_minor             BIGINT  NOT NULL,
  interest_waived_minor       BIGINT  NOT NULL,
  paid_principal_minor        BIGINT  NOT NULL,
  paid_interest_minor         BIGINT  NOT NULL,
  paid_fees_minor             BIGINT  NOT NULL,
  paid_penalties_minor        BIGINT  NOT NULL,
  settled                     BOOLEAN NOT NULL,
  settled_on                  TEXT    NULL,
  closed_early_due_date       TEXT    NULL,
  closed_early_interest_minor BIGINT  NULL,
  PRIMARY KEY (loan_id, n),
  CHECK (principal_minor >= 0 AND interest_minor >= 0 AND fees_minor >= 0 AND penalties_minor >= 0
    AND interest_waived_minor >= 0 AND interest_waived_minor <= interest_minor
    AND paid_principal_minor BETWEEN 0 AND principal_minor
    AND paid_interest_minor BETWEEN 0 AND interest_minor - interest_waived_minor
    AND paid_fees_minor BETWEEN 0 AND fees_minor
    AND paid_penalties_minor BETWEEN 0 AND penalties_minor)
);
CREATE INDEX loan_instalments_settled_due_date_idx ON loan_instalments (settled, due_date);

CREATE TABLE loan_status_history (
  loan_id    TEXT     NOT NULL REFERENCES loans (id),
  seq        INTEGER  NOT NULL,
  status     TEXT     NOT NULL,
  bank_date  TEXT     NOT NULL,
  reason     TEXT     NULL,
  changed_at DATETIME NOT NULL,
  PRIMARY KEY (loan_id, seq)
);

CREATE TABLE loan_postings (
  id             TEXT   NOT NULL PRIMARY KEY,
  loan_id        TEXT   NOT NULL REFERENCES loans (id),
  entry_id       TEXT   NOT NULL REFERENCES journal_entries (id),
  effective_date TEXT   NOT NULL,
  kind           TEXT   NOT NULL,
  component      TEXT   NOT NULL CHECK (
    component IN ('principal', 'interest', 'fees', 'penalties', 'interest_suspense', 'penalties_suspense')),
  amount_minor   BIGINT NOT NULL CHECK (amount_minor <> 0)
);
CREATE INDEX loan_postings_loan_id_effective_date_idx ON loan_postings (loan_id, effective_date);

CREATE TABLE loan_repayments (
  id                TEXT     NOT NULL PRIMARY KEY,
  loan_id           TEXT     NOT NULL REFERENCES loans (id),
  kind              TEXT     NOT NULL CHECK (kind IN ('repayment', 'recovery')),
  channel           TEXT     NOT NULL,
  external_ref      TEXT     NULL,
  source_account_id TEXT     NOT NULL,
  amount_minor      BIGINT   NOT NULL,
  principal_minor   BIGINT   NOT NULL,
  interest_minor    BIGINT   NOT NULL,
  fees_minor        BIGINT   NOT NULL,
  penalties_minor   BIGINT   NOT NULL,
  excess_minor      BIGINT   NOT NULL,
  entry_id          TEXT     NOT NULL REFERENCES journal_entries (id),
  bank_date         TEXT     NOT NULL,
  initiated_by      TEXT     NOT NULL,
  created_at        DATETIME NOT NULL,
  CHECK (amount_minor > 0 AND excess_minor >= 0)
);
CREATE UNIQUE INDEX loan_repayments_channel_external_ref_key ON loan_repayments (channel, external_ref);
CREATE INDEX loan_repayments_loan_id_idx ON loan_repayments (loan_id);

CREATE TABLE portfolio_snapshots (
  bank_date                   TEXT     NOT NULL,
  currency                    TEXT     NOT NULL,
  loans                       INTEGER  NOT NULL,
  outstanding_principal_minor BIGINT   NOT NULL,
  npl_principal_minor         BIGINT   NOT NULL,
  par30_principal_minor       BIGINT   NOT NULL,
  npl_ratio                   TEXT     NOT NULL,
  par30                       TEXT     NOT NULL,
  by_bucket                   TEXT     NOT NULL,
  by_class                    TEXT     NOT NULL,
  created_at                  DATETIME NOT NULL,
  PRIMARY KEY (bank_date, currency)
);

CREATE TRIGGER credit_decisions_no_update BEFORE UPDATE ON credit_decisions
BEGIN SELECT RAISE(ABORT, 'credit decisions are immutable'); END;
CREATE TRIGGER credit_decisions_no_delete BEFORE DELETE ON credit_decisions
BEGIN SELECT RAISE(ABORT, 'credit decisions are immutable'); END;
CREATE TRIGGER loan_postings_no_update BEFORE UPDATE ON loan_postings
BEGIN SELECT RAISE(ABORT, 'loan postings are immutable'); END;
CREATE TRIGGER loan_postings_no_delete BEFORE DELETE ON loan_postings
BEGIN SELECT RAISE(ABORT, 'loan postings are immutable'); END;
CREATE TRIGGER loan_status_history_no_update BEFORE UPDATE ON loan_status_history
BEGIN SELECT RAISE(ABORT, 'loan status history is immutable'); END;
CREATE TRIGGER loan_status_history_no_delete BEFORE DELETE ON loan_status_history
BEGIN SELECT RAISE(ABORT, 'loan status history is immutable'); END;
CREATE TRIGGER loan_repayments_no_update BEFORE UPDATE ON loan_repayments
BEGIN SELECT RAISE(ABORT, 'loan repayments are immutable'); END;
CREATE TRIGGER loan_repayments_no_delete BEFORE DELETE ON loan_repayments
BEGIN SELECT RAISE(ABORT, 'loan repayments are immutable'); END;
