-- Identity, the double-entry ledger, holds, transfers and idempotency keys (embedded SQLite/libSQL).
-- Same tables, constraints and triggers as migrations/mysql/0001_ledger.sql.

CREATE TABLE users (
  id            TEXT     NOT NULL PRIMARY KEY,
  role          TEXT     NOT NULL CHECK (role IN ('customer', 'banker', 'admin')),
  email         TEXT     NOT NULL,
  phone         TEXT     NULL,
  full_name     TEXT     NOT NULL,
  national_id   TEXT     NULL,
  kyc_tier      INTEGER  NOT NULL CHECK (kyc_tier BETWEEN 0 AND 2),
  password_hash TEXT     NOT NULL,
  status        TEXT     NOT NULL CHECK (status IN ('active', 'disabled')),
  created_at    DATETIME NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE UNIQUE INDEX users_phone_key ON users (phone);

CREATE TABLE partner_clients (
  id          TEXT     NOT NULL PRIMARY KEY,
  name        TEXT     NOT NULL,
  secret_hash TEXT     NOT NULL,
  created_at  DATETIME NOT NULL
);

CREATE TABLE accounts (
  id             TEXT     NOT NULL PRIMARY KEY,
  owner_id       TEXT     NULL REFERENCES users (id),
  code           TEXT     NULL,
  type           TEXT     NOT NULL CHECK (type IN ('wallet', 'savings', 'fixed_deposit', 'bank')),
  category       TEXT     NOT NULL CHECK (category IN ('asset', 'liability', 'equity', 'income', 'expense')),
  normal_side    TEXT     NOT NULL CHECK (normal_side IN ('debit', 'credit')),
  currency       TEXT     NOT NULL,
  status         TEXT     NOT NULL,
  allow_negative BOOLEAN  NOT NULL,
  balance_minor  BIGINT   NOT NULL,
  held_minor     BIGINT   NOT NULL CHECK (held_minor >= 0),
  posting_count  BIGINT   NOT NULL,
  created_at     DATETIME NOT NULL,
  -- No overdrafts: an account that may not go negative never has less than its holds.
  CHECK (allow_negative OR balance_minor - held_minor >= 0)
);
CREATE UNIQUE INDEX accounts_code_currency_key ON accounts (code, currency);
CREATE INDEX accounts_owner_id_idx ON accounts (owner_id);

CREATE TABLE journal_entries (
  id             TEXT     NOT NULL PRIMARY KEY,
  kind           TEXT     NOT NULL,
  description    TEXT     NOT NULL,
  reverses_id    TEXT     NULL REFERENCES journal_entries (id),
  effective_date TEXT     NOT NULL,
  created_at     DATETIME NOT NULL
);

CREATE TABLE postings (
  id                  TEXT     NOT NULL PRIMARY KEY,
  entry_id            TEXT     NOT NULL REFERENCES journal_entries (id),
  account_id          TEXT     NOT NULL REFERENCES accounts (id),
  account_seq         BIGINT   NOT NULL,
  side                TEXT     NOT NULL CHECK (side IN ('debit', 'credit')),
  amount_minor        BIGINT   NOT NULL CHECK (amount_minor > 0),
  currency            TEXT     NOT NULL,
  balance_after_minor BIGINT   NOT NULL,
  created_at          DATETIME NOT NULL
);
CREATE UNIQUE INDEX postings_account_id_account_seq_key ON postings (account_id, account_seq);
CREATE INDEX postings_entry_id_idx ON postings (entry_id);

CREATE TABLE holds (
  id           TEXT     NOT NULL PRIMARY KEY,
  account_id   TEXT     NOT NULL REFERENCES accounts (id),
  amount_minor BIGINT   NOT NULL CHECK (amount_minor > 0),
  currency     TEXT     NOT NULL,
  status       TEXT     NOT NULL CHECK (status IN ('pending', 'posted', 'voided')),
  description  TEXT     NOT NULL,
  entry_id     TEXT     NULL,
  expires_at   DATETIME NOT NULL,
  created_at   DATETIME NOT NULL,
  resolved_at  DATETIME NULL
);
CREATE INDEX holds_account_id_status_idx ON holds (account_id, status);
CREATE INDEX holds_status_expires_at_idx ON holds (status, expires_at);

CREATE TABLE transfers (
  id              TEXT     NOT NULL PRIMARY KEY,
  initiated_by    TEXT     NOT NULL,
  from_account_id TEXT     NOT NULL,
  to_account_id   TEXT     NOT NULL,
  amount_minor    BIGINT   NOT NULL CHECK (amount_minor > 0),
  currency        TEXT     NOT NULL,
  reference       TEXT     NULL,
  status          TEXT     NOT NULL,
  entry_id        TEXT     NOT NULL REFERENCES journal_entries (id),
  created_at      DATETIME NOT NULL,
  CHECK (from_account_id <> to_account_id)
);
CREATE INDEX transfers_from_account_id_idx ON transfers (from_account_id);
CREATE INDEX transfers_to_account_id_idx ON transfers (to_account_id);
CREATE INDEX transfers_initiated_by_idx ON transfers (initiated_by);

CREATE TABLE idempotency_keys (
  principal_id    TEXT     NOT NULL,
  idem_key        TEXT     NOT NULL,
  request_hash    TEXT     NOT NULL,
  response_status INTEGER  NOT NULL,
  response_body   TEXT     NOT NULL,
  created_at      DATETIME NOT NULL,
  expires_at      DATETIME NOT NULL,
  PRIMARY KEY (principal_id, idem_key)
);
CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at);

-- The books are append-only: a mistake is corrected by a reversing entry, never by an edit.
CREATE TRIGGER journal_entries_no_update BEFORE UPDATE ON journal_entries
BEGIN SELECT RAISE(ABORT, 'journal entries are immutable'); END;
CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries
BEGIN SELECT RAISE(ABORT, 'journal entries are immutable'); END;
CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings
BEGIN SELECT RAISE(ABORT, 'postings are immutable'); END;
CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings
BEGIN SELECT RAISE(ABORT, 'postings are immutable'); END;
