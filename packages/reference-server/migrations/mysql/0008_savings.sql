-- Save (issue 11): savings and fixed-deposit products, their rate history, and the per-account state
-- the daily jobs keep (interest accrued and its watermarks). Same tables as migrations/sqlite/0008_savings.sql.

-- A product an administrator offers: a savings account or a fixed deposit. Rates are decimal strings
-- ("0.08" = 8 % a year), never floats; `annual_rate` is the rate today, its history is below.
CREATE TABLE savings_products (
  id                        VARCHAR(40)  NOT NULL PRIMARY KEY,
  name                      VARCHAR(100) NOT NULL,
  type                      VARCHAR(16)  NOT NULL,
  currency                  CHAR(3)      NOT NULL,
  annual_rate               VARCHAR(24)  NOT NULL,
  min_opening_balance_minor BIGINT       NOT NULL,
  -- Fixed deposits: the terms offered, in months, comma-separated ("3,6,12"); NULL for savings.
  term_months               VARCHAR(100) NULL,
  early_close_forfeit_share VARCHAR(24)  NULL,
  status                    VARCHAR(8)   NOT NULL,
  created_at                DATETIME(3)  NOT NULL,
  updated_at                DATETIME(3)  NOT NULL,
  CONSTRAINT savings_products_type_check CHECK (type IN ('savings', 'fixed_deposit')),
  CONSTRAINT savings_products_status_check CHECK (status IN ('active', 'retired')),
  CONSTRAINT savings_products_min_check CHECK (min_opening_balance_minor >= 0),
  CONSTRAINT savings_products_terms_check CHECK ((type = 'fixed_deposit') = (term_months IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX savings_products_currency_type_idx ON savings_products (currency, type);

-- Every rate a product has had, from the bank day it took effect: the accrual of day D uses the rate
-- of D, whenever the job for D runs. Append-only; on one day the latest row wins.
CREATE TABLE savings_product_rates (
  id             VARCHAR(40) NOT NULL PRIMARY KEY,
  product_id     VARCHAR(40) NOT NULL,
  effective_from CHAR(10)    NOT NULL,
  annual_rate    VARCHAR(24) NOT NULL,
  created_at     DATETIME(3) NOT NULL,
  CONSTRAINT savings_product_rates_product_fkey FOREIGN KEY (product_id) REFERENCES savings_products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX savings_product_rates_product_from_idx ON savings_product_rates (product_id, effective_from);

CREATE TRIGGER savings_product_rates_no_update BEFORE UPDATE ON savings_product_rates FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'savings product rates are immutable';
CREATE TRIGGER savings_product_rates_no_delete BEFORE DELETE ON savings_product_rates FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'savings product rates are immutable';

-- A savings account's interest state (src/modules/savings/interest.ts): interest accrued and not yet
-- posted, × 365, as an exact decimal string; the last day accrued and the last month end posted.
CREATE TABLE savings_accounts (
  account_id        VARCHAR(64)  NOT NULL PRIMARY KEY,
  product_id        VARCHAR(40)  NOT NULL,
  opened_on         CHAR(10)     NOT NULL,
  accrued_through   CHAR(10)     NOT NULL,
  accrued_times_365 VARCHAR(200) NOT NULL,
  posted_through    CHAR(10)     NOT NULL,
  closed_on         CHAR(10)     NULL,
  CONSTRAINT savings_accounts_account_fkey FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT savings_accounts_product_fkey FOREIGN KEY (product_id) REFERENCES savings_products (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX savings_accounts_accrued_through_idx ON savings_accounts (accrued_through);

-- A fixed deposit's current term (src/modules/savings/fixed-deposit.ts): fixed at opening (or at a
-- roll-over, which starts term_number + 1), and the interest accrued so far in the ledger.
CREATE TABLE fixed_deposits (
  account_id        VARCHAR(64) NOT NULL PRIMARY KEY,
  product_id        VARCHAR(40) NOT NULL,
  payout_account_id VARCHAR(64) NOT NULL,
  term_number       INT         NOT NULL,
  principal_minor   BIGINT      NOT NULL,
  annual_rate       VARCHAR(24) NOT NULL,
  term_months       INT         NOT NULL,
  opened_on         CHAR(10)    NOT NULL,
  maturity_date     CHAR(10)    NOT NULL,
  at_maturity       VARCHAR(16) NOT NULL,
  forfeit_share     VARCHAR(24) NOT NULL,
  accrued_through   CHAR(10)    NOT NULL,
  accrued_minor     BIGINT      NOT NULL,
  status            VARCHAR(16) NOT NULL,
  closed_on         CHAR(10)    NULL,
  CONSTRAINT fixed_deposits_account_fkey FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT fixed_deposits_payout_fkey FOREIGN KEY (payout_account_id) REFERENCES accounts (id),
  CONSTRAINT fixed_deposits_product_fkey FOREIGN KEY (product_id) REFERENCES savings_products (id),
  CONSTRAINT fixed_deposits_principal_check CHECK (principal_minor > 0),
  CONSTRAINT fixed_deposits_accrued_check CHECK (accrued_minor >= 0),
  CONSTRAINT fixed_deposits_term_check CHECK (term_months > 0 AND term_number > 0),
  CONSTRAINT fixed_deposits_at_maturity_check CHECK (at_maturity IN ('pay_out', 'roll_over')),
  CONSTRAINT fixed_deposits_status_check CHECK (status IN ('active', 'matured', 'closed'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX fixed_deposits_status_maturity_idx ON fixed_deposits (status, maturity_date);

-- The database as the last line: money enters a fixed deposit only at opening and leaves it only at
-- maturity or an early close (entries of these kinds), whatever code posts to it.
CREATE TRIGGER postings_fixed_deposit_guard BEFORE INSERT ON postings FOR EACH ROW
  IF (SELECT type FROM accounts WHERE id = NEW.account_id) = 'fixed_deposit'
     AND (SELECT kind FROM journal_entries WHERE id = NEW.entry_id)
         NOT IN ('account_funding', 'interest_posting', 'interest_forfeit', 'withholding_tax', 'fixed_deposit_payout')
  THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'fixed deposit: money moves only at opening, maturity or close';
  END IF;
