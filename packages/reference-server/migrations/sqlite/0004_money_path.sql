-- Issue 8: same tables, indexes and columns as migrations/mysql/0004_money_path.sql.

CREATE TABLE daily_outgoing (
  customer_id TEXT   NOT NULL REFERENCES users (id),
  currency    TEXT   NOT NULL,
  bank_date   TEXT   NOT NULL,
  sent_minor  BIGINT NOT NULL CHECK (sent_minor >= 0),
  PRIMARY KEY (customer_id, currency, bank_date)
);

CREATE INDEX transfers_initiated_by_to_account_id_idx ON transfers (initiated_by, to_account_id);
DROP INDEX transfers_initiated_by_idx;
ALTER TABLE transfers ADD COLUMN reversal_entry_id TEXT NULL;
ALTER TABLE transfers ADD COLUMN reversed_at DATETIME NULL;

CREATE UNIQUE INDEX journal_entries_reverses_id_key ON journal_entries (reverses_id);

ALTER TABLE partner_clients ADD COLUMN type TEXT NOT NULL DEFAULT 'confidential'
  CHECK (type IN ('confidential', 'public'));

CREATE TABLE partner_customers (
  partner_id  TEXT     NOT NULL REFERENCES partner_clients (id),
  customer_id TEXT     NOT NULL REFERENCES users (id),
  source      TEXT     NOT NULL CHECK (source IN ('onboarded', 'consent')),
  created_at  DATETIME NOT NULL,
  revoked_at  DATETIME NULL,
  PRIMARY KEY (partner_id, customer_id)
);
CREATE INDEX partner_customers_customer_id_idx ON partner_customers (customer_id);

CREATE TABLE revoked_tokens (
  jti        TEXT     NOT NULL PRIMARY KEY,
  expires_at DATETIME NOT NULL
);
CREATE INDEX revoked_tokens_expires_at_idx ON revoked_tokens (expires_at);

CREATE TABLE events (
  id          TEXT     NOT NULL PRIMARY KEY,
  type        TEXT     NOT NULL,
  customer_id TEXT     NULL,
  data        TEXT     NOT NULL,
  created_at  DATETIME NOT NULL
);
CREATE INDEX events_customer_id_id_idx ON events (customer_id, id);
