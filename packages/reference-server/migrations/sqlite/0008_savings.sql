-- Save (issue 11): same tables, constraints and triggers as migrations/mysql/0008_savings.sql.

CREATE TABLE savings_products (
  id                        TEXT     NOT NULL PRIMARY KEY,
  name                      TEXT     NOT NULL,
  type                      TEXT     NOT NULL CHECK (type IN ('savings', 'fixed_deposit')),
  currency                  TEXT     NOT NULL,
  annual_rate               TEXT     NOT NULL,
  min_opening_balance_minor BIGINT   NOT NULL CHECK (min_opening_balance_minor >= 0),
  term_months               TEXT     NULL,
  early_close_forfeit_share TEXT     NULL,
  status                    TEXT     NOT NULL CHECK (status IN ('active', 'retired')),
  created_at                DATETIME NOT NULL,
  updated_at                DATETIME NOT NULL,
  CHECK ((type = 'fixed_deposit') = (term_months IS NOT NULL))
);
CREATE INDEX savings_products_currency_type_idx ON savings_products (currency, type);

CREATE TABLE savings_product_rates (
  id             TEXT     NOT NULL PRIMARY KEY,
  product_id     TEXT     NOT NULL REFERENCES savings_products (id),
  effective_from TEXT     NOT NULL,
  annual_rate    TEXT     NOT NULL,
  created_at     DATETIME NOT NULL
);
CREATE INDEX savings_product_rates_product_from_idx ON savings_product_rates (product_id, effective_from);

CREATE TRIGGER savings_product_rates_no_update BEFORE UPDATE ON savings_product_rates
BEGIN SELECT RAISE(ABORT, 'savings product rates are immutable'); END;
CREATE TRIGGER savings_product_rates_no_delete BEFORE DELETE ON savings_product_rates
BEGIN SELECT RAISE(ABORT, 'savings product rates are immutable'); END;

CREATE TABLE savings_accounts (
  account_id        TEXT NOT NULL PRIMARY KEY REFERENCES accounts (id),
  product_id        TEXT NOT NULL REFERENCES savings_products (id),
  opened_on         TEXT NOT NULL,
  accrued_through   TEXT NOT NULL,
  accrued_times_365 TEXT NOT NULL,
  posted_through    TEXT NOT NULL,
  closed_on         TEXT NULL
);
CREATE INDEX savings_accounts_accrued_through_idx ON savings_accounts (accrued_through);

CREATE TABLE fixed_deposits (
  account_id        TEXT    NOT NULL PRIMARY KEY REFERENCES accounts (id),
  product_id        TEXT    NOT NULL REFERENCES savings_products (id),
  payout_account_id TEXT    NOT NULL REFERENCES accounts (id),
  term_number       INTEGER NOT NULL,
  principal_minor   BIGINT  NOT NULL CHECK (principal_minor > 0),
  annual_rate       TEXT    NOT NULL,
  term_months       INTEGER NOT NULL,
  opened_on         TEXT    NOT NULL,
  maturity_date     TEXT    NOT NULL,
  at_maturity       TEXT    NOT NULL CHECK (at_maturity IN ('pay_out', 'roll_over')),
  forfeit_share     TEXT    NOT NULL,
  accrued_through   TEXT    NOT NULL,
  accrued_minor     BIGINT  NOT NULL CHECK (accrued_minor >= 0),
  status            TEXT    NOT NULL CHECK (status IN ('active', 'matured', 'closed')),
  closed_on         TEXT    NULL,
  CHECK (term_months > 0 AND term_number > 0)
);
CREATE INDEX fixed_deposits_status_maturity_idx ON fixed_deposits (status, maturity_date);

CREATE TRIGGER postings_fixed_deposit_guard BEFORE INSERT ON postings
WHEN (SELECT type FROM accounts WHERE id = NEW.account_id) = 'fixed_deposit'
 AND (SELECT kind FROM journal_entries WHERE id = NEW.entry_id)
     NOT IN ('account_funding', 'interest_posting', 'interest_forfeit', 'withholding_tax', 'fixed_deposit_payout')
BEGIN SELECT RAISE(ABORT, 'fixed deposit: money moves only at opening, maturity or close'); END;
