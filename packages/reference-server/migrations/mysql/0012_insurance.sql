-- Issue 16: Insure. Insurance products distributed for underwriters (bancassurance), the loan products a
-- credit-life cover attaches to, policies, each premium collected (or refunded), claims, and the monthly
-- remittances to underwriters. Same tables as migrations/sqlite/0012_insurance.sql.

-- Age-banded cover needs a date of birth; signup takes it optionally.
ALTER TABLE users ADD COLUMN date_of_birth CHAR(10) NULL;

CREATE TABLE insurance_products (
  id                    VARCHAR(40)  NOT NULL PRIMARY KEY,
  name                  VARCHAR(120) NOT NULL,
  cover_type            VARCHAR(16)  NOT NULL,
  underwriter           VARCHAR(120) NOT NULL,
  currency              CHAR(3)      NOT NULL,
  -- Exactly one of: a fixed premium per period, or a monthly rate of the sum insured (credit life: of
  -- the outstanding loan principal), a decimal string.
  premium_minor         BIGINT       NULL,
  premium_rate          VARCHAR(24)  NULL,
  frequency             VARCHAR(8)   NOT NULL,
  term_months           INT          NULL,
  grace_days            INT          NOT NULL,
  reinstatement_days    INT          NOT NULL,
  commission_rate       VARCHAR(24)  NOT NULL,
  refund_rule           VARCHAR(16)  NOT NULL,
  min_sum_insured_minor BIGINT       NULL,
  max_sum_insured_minor BIGINT       NULL,
  min_age               INT          NULL,
  max_age               INT          NULL,
  min_kyc_tier          INT          NOT NULL,
  status                VARCHAR(8)   NOT NULL,
  created_at            DATETIME(3)  NOT NULL,
  updated_at            DATETIME(3)  NOT NULL,
  CONSTRAINT insurance_products_cover_check CHECK (cover_type IN ('life', 'asset', 'credit_life')),
  CONSTRAINT insurance_products_frequency_check CHECK (frequency IN ('monthly', 'single')),
  CONSTRAINT insurance_products_premium_check CHECK ((premium_minor IS NULL) <> (premium_rate IS NULL)),
  CONSTRAINT insurance_products_refund_check CHECK (refund_rule IN ('pro_rata', 'none')),
  CONSTRAINT insurance_products_days_check CHECK (grace_days >= 0 AND reinstatement_days >= 0),
  CONSTRAINT insurance_products_status_check CHECK (status IN ('active', 'retired'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Which credit-life product a loan product offers at acceptance, and whether a borrower must take it.
CREATE TABLE credit_life_terms (
  loan_product_id      VARCHAR(40) NOT NULL PRIMARY KEY,
  insurance_product_id VARCHAR(40) NOT NULL,
  mandatory            BOOLEAN     NOT NULL,
  CONSTRAINT credit_life_terms_product_fkey FOREIGN KEY (insurance_product_id) REFERENCES insurance_products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE policies (
  id                 VARCHAR(40)   NOT NULL PRIMARY KEY,
  customer_id        VARCHAR(40)   NOT NULL,
  product_id         VARCHAR(40)   NOT NULL,
  funding_account_id VARCHAR(64)   NOT NULL,
  currency           CHAR(3)       NOT NULL,
  sum_insured_minor  BIGINT        NOT NULL,
  premium_minor      BIGINT        NOT NULL,
  status             VARCHAR(12)   NOT NULL,
  start_date         CHAR(10)      NOT NULL,
  end_date           CHAR(10)      NULL,
  -- The next premium's due date (NULL once a single premium is paid); the sweep's watermark.
  next_due_date      CHAR(10)      NULL,
  periods_paid       INT           NOT NULL,
  lapsed_on          CHAR(10)      NULL,
  closed_on          CHAR(10)      NULL,
  loan_id            VARCHAR(40)   NULL,
  beneficiaries      VARCHAR(4000) NULL,
  created_at         DATETIME(3)   NOT NULL,
  updated_at         DATETIME(3)   NOT NULL,
  CONSTRAINT policies_status_check CHECK (status IN ('active', 'in_grace', 'lapsed', 'cancelled', 'expired')),
  CONSTRAINT policies_amounts_check CHECK (sum_insured_minor >= 0 AND premium_minor >= 0),
  CONSTRAINT policies_product_fkey FOREIGN KEY (product_id) REFERENCES insurance_products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX policies_customer_idx ON policies (customer_id, id);
CREATE INDEX policies_status_due_idx ON policies (status, next_due_date);
CREATE INDEX policies_loan_idx ON policies (loan_id);

-- Every premium collected (kind `premium`, one per policy and due date: a sweep run twice collects
-- once) and every refund (kind `refund`, a negative amount); a remittance takes the rows not yet remitted.
CREATE TABLE policy_premiums (
  id            VARCHAR(40)  NOT NULL PRIMARY KEY,
  policy_id     VARCHAR(40)  NOT NULL,
  product_id    VARCHAR(40)  NOT NULL,
  underwriter   VARCHAR(120) NOT NULL,
  currency      CHAR(3)      NOT NULL,
  kind          VARCHAR(8)   NOT NULL,
  due_date      CHAR(10)     NOT NULL,
  amount_minor  BIGINT       NOT NULL,
  collected_on  CHAR(10)     NOT NULL,
  entry_id      VARCHAR(40)  NOT NULL,
  remittance_id VARCHAR(40)  NULL,
  created_at    DATETIME(3)  NOT NULL,
  CONSTRAINT policy_premiums_kind_check CHECK (kind IN ('premium', 'refund')),
  CONSTRAINT policy_premiums_sign_check CHECK ((kind = 'premium' AND amount_minor > 0) OR (kind = 'refund' AND amount_minor < 0)),
  CONSTRAINT policy_premiums_policy_fkey FOREIGN KEY (policy_id) REFERENCES policies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE UNIQUE INDEX policy_premiums_once_idx ON policy_premiums (policy_id, kind, due_date);
CREATE INDEX policy_premiums_remit_idx ON policy_premiums (remittance_id, underwriter, currency);

CREATE TABLE insurance_claims (
  id            VARCHAR(40)   NOT NULL PRIMARY KEY,
  policy_id     VARCHAR(40)   NOT NULL,
  customer_id   VARCHAR(40)   NOT NULL,
  underwriter   VARCHAR(120)  NOT NULL,
  currency      CHAR(3)       NOT NULL,
  status        VARCHAR(16)   NOT NULL,
  description   VARCHAR(2000) NOT NULL,
  attachments   VARCHAR(4000) NOT NULL,
  amount_minor  BIGINT        NULL,
  reason        VARCHAR(500)  NULL,
  payout        VARCHAR(4000) NULL,
  paid_on       CHAR(10)      NULL,
  remittance_id VARCHAR(40)   NULL,
  created_at    DATETIME(3)   NOT NULL,
  updated_at    DATETIME(3)   NOT NULL,
  CONSTRAINT insurance_claims_status_check CHECK (status IN ('submitted', 'under_review', 'approved', 'rejected', 'paid')),
  CONSTRAINT insurance_claims_policy_fkey FOREIGN KEY (policy_id) REFERENCES policies (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX insurance_claims_customer_idx ON insurance_claims (customer_id, id);
CREATE INDEX insurance_claims_remit_idx ON insurance_claims (remittance_id, underwriter, currency);

-- One remittance per underwriter, currency and month: premiums less the bank's commission, less the
-- claims the bank paid on the underwriter's behalf; the bordereau is its CSV.
CREATE TABLE insurance_remittances (
  id                  VARCHAR(40)  NOT NULL PRIMARY KEY,
  underwriter         VARCHAR(120) NOT NULL,
  currency            CHAR(3)      NOT NULL,
  period              CHAR(7)      NOT NULL,
  premiums_minor      BIGINT       NOT NULL,
  commission_minor    BIGINT       NOT NULL,
  claims_offset_minor BIGINT       NOT NULL,
  net_minor           BIGINT       NOT NULL,
  entry_id            VARCHAR(40)  NULL,
  bordereau           MEDIUMTEXT   NOT NULL,
  created_at          DATETIME(3)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE UNIQUE INDEX insurance_remittances_once_idx ON insurance_remittances (underwriter, currency, period);
