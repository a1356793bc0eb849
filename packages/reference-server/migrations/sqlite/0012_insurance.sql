-- Issue 16: Insure (same tables as migrations/mysql/0012_insurance.sql). Insurance products distributed for underwriters (bancassurance), the loan products a
-- credit-life cover attaches to, policies, each premium collected (or refunded), claims, and the monthly
-- remittances to underwriters. Same tables as migrations/sqlite/0012_insurance.sql.

-- Age-banded cover needs a date of birth; signup takes it optionally.
ALTER TABLE users ADD COLUMN date_of_birth TEXT NULL;

CREATE TABLE insurance_products (
  id                    TEXT  NOT NULL PRIMARY KEY,
  name                  TEXT NOT NULL,
  cover_type            TEXT  NOT NULL,
  underwriter           TEXT NOT NULL,
  currency              TEXT      NOT NULL,
  -- Exactly one of: a fixed premium per period, or a monthly rate of the sum insured (credit life: of
  -- the outstanding loan principal), a decimal string.
  premium_minor         BIGINT       NULL,
  premium_rate          TEXT  NULL,
  frequency             TEXT   NOT NULL,
  term_months           INTEGER NULL,
  grace_days            INT          NOT NULL,
  reinstatement_days    INT          NOT NULL,
  commission_rate       TEXT  NOT NULL,
  refund_rule           TEXT  NOT NULL,
  min_sum_insured_minor BIGINT       NULL,
  max_sum_insured_minor BIGINT       NULL,
  min_age               INTEGER NULL,
  max_age               INTEGER NULL,
  min_kyc_tier          INT          NOT NULL,
  status                TEXT   NOT NULL,
  created_at            DATETIME  NOT NULL,
  updated_at            DATETIME  NOT NULL,
  CHECK (cover_type IN ('life', 'asset', 'credit_life')),
  CHECK (frequency IN ('monthly', 'single')),
  CHECK ((premium_minor IS NULL) <> (premium_rate IS NULL)),
  CHECK (refund_rule IN ('pro_rata', 'none')),
  CHECK (grace_days >= 0 AND reinstatement_days >= 0),
  CHECK (status IN ('active', 'retired'))
);

-- Which credit-life product a loan product offers at acceptance, and whether a borrower must take it.
CREATE TABLE credit_life_terms (
  loan_product_id      TEXT NOT NULL PRIMARY KEY,
  insurance_product_id TEXT NOT NULL,
  mandatory            BOOLEAN     NOT NULL,
  FOREIGN KEY (insurance_product_id) REFERENCES insurance_products (id)
);

CREATE TABLE policies (
  id                 TEXT   NOT NULL PRIMARY KEY,
  customer_id        TEXT   NOT NULL,
  product_id         TEXT   NOT NULL,
  funding_account_id TEXT   NOT NULL,
  currency           TEXT       NOT NULL,
  sum_insured_minor  BIGINT        NOT NULL,
  premium_minor      BIGINT        NOT NULL,
  status             TEXT   NOT NULL,
  start_date         TEXT      NOT NULL,
  end_date           TEXT      NULL,
  -- The next premium's due date (NULL once a single premium is paid); the sweep's watermark.
  next_due_date      TEXT      NULL,
  periods_paid       INT           NOT NULL,
  lapsed_on          TEXT      NULL,
  closed_on          TEXT      NULL,
  loan_id            TEXT   NULL,
  beneficiaries      TEXT NULL,
  created_at         DATETIME   NOT NULL,
  updated_at         DATETIME   NOT NULL,
  CHECK (status IN ('active', 'in_grace', 'lapsed', 'cancelled', 'expired')),
  CHECK (sum_insured_minor >= 0 AND premium_minor >= 0),
  FOREIGN KEY (product_id) REFERENCES insurance_products (id)
);
CREATE INDEX policies_customer_idx ON policies (customer_id, id);
CREATE INDEX policies_status_due_idx ON policies (status, next_due_date);
CREATE INDEX policies_loan_idx ON policies (loan_id);

-- Every premium collected (kind `premium`, one per policy and due date: a sweep run twice collects
-- once) and every refund (kind `refund`, a negative amount); a remittance takes the rows not yet remitted.
CREATE TABLE policy_premiums (
  id            TEXT  NOT NULL PRIMARY KEY,
  policy_id     TEXT  NOT NULL,
  product_id    TEXT  NOT NULL,
  underwriter   TEXT NOT NULL,
  currency      TEXT      NOT NULL,
  kind          TEXT   NOT NULL,
  due_date      TEXT     NOT NULL,
  amount_minor  BIGINT       NOT NULL,
  collected_on  TEXT     NOT NULL,
  entry_id      TEXT  NOT NULL,
  remittance_id TEXT  NULL,
  created_at    DATETIME  NOT NULL,
  CHECK (kind IN ('premium', 'refund')),
  CHECK ((kind = 'premium' AND amount_minor > 0) OR (kind = 'refund' AND amount_minor < 0)),
  FOREIGN KEY (policy_id) REFERENCES policies (id)
);
CREATE UNIQUE INDEX policy_premiums_once_idx ON policy_premiums (policy_id, kind, due_date);
CREATE INDEX policy_premiums_remit_idx ON policy_premiums (remittance_id, underwriter, currency);

CREATE TABLE insurance_claims (
  id            TEXT   NOT NULL PRIMARY KEY,
  policy_id     TEXT   NOT NULL,
  customer_id   TEXT   NOT NULL,
  underwriter   TEXT  NOT NULL,
  currency      TEXT       NOT NULL,
  status        TEXT   NOT NULL,
  description   TEXT NOT NULL,
  attachments   TEXT NOT NULL,
  amount_minor  BIGINT        NULL,
  reason        TEXT  NULL,
  payout        TEXT NULL,
  paid_on       TEXT      NULL,
  remittance_id TEXT   NULL,
  created_at    DATETIME   NOT NULL,
  updated_at    DATETIME   NOT NULL,
  CHECK (status IN ('submitted', 'under_review', 'approved', 'rejected', 'paid')),
  FOREIGN KEY (policy_id) REFERENCES policies (id)
);
CREATE INDEX insurance_claims_customer_idx ON insurance_claims (customer_id, id);
CREATE INDEX insurance_claims_remit_idx ON insurance_claims (remittance_id, underwriter, currency);

-- One remittance per underwriter, currency and month: premiums less the bank's commission, less the
-- claims the bank paid on the underwriter's behalf; the bordereau is its CSV.
CREATE TABLE insurance_remittances (
  id                  TEXT  NOT NULL PRIMARY KEY,
  underwriter         TEXT NOT NULL,
  currency            TEXT      NOT NULL,
  period              TEXT      NOT NULL,
  premiums_minor      BIGINT       NOT NULL,
  commission_minor    BIGINT       NOT NULL,
  claims_offset_minor BIGINT       NOT NULL,
  net_minor           BIGINT       NOT NULL,
  entry_id            TEXT  NULL,
  bordereau           TEXT   NOT NULL,
  created_at          DATETIME  NOT NULL
);
CREATE UNIQUE INDEX insurance_remittances_once_idx ON insurance_remittances (underwriter, currency, period);
