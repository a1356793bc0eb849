-- Issue 8: the money path's holes. Per-customer, per-bank-day outgoing totals kept on a row the
-- transfer locks anyway; one reversal per entry; encrypted second-factor secrets; partner links
-- and public clients; revoked access tokens; domain events (the outbox).

-- What a customer sent to others (and to rails) on a bank day: one row per customer, currency and
-- day, read and moved under the customer's row lock, so the check costs the same for any history.
CREATE TABLE daily_outgoing (
  customer_id VARCHAR(40) NOT NULL,
  currency    CHAR(3)     NOT NULL,
  bank_date   CHAR(10)    NOT NULL,
  sent_minor  BIGINT      NOT NULL,
  PRIMARY KEY (customer_id, currency, bank_date),
  CONSTRAINT daily_outgoing_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES users (id),
  CONSTRAINT daily_outgoing_sent_check CHECK (sent_minor >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- "Has this customer paid this account before?" (step-up for a new payee) by index, not by scan.
CREATE INDEX transfers_initiated_by_to_account_id_idx ON transfers (initiated_by, to_account_id);
DROP INDEX transfers_initiated_by_idx ON transfers;
ALTER TABLE transfers
  ADD COLUMN reversal_entry_id VARCHAR(40) NULL,
  ADD COLUMN reversed_at DATETIME(3) NULL,
  ADD CONSTRAINT transfers_status_check CHECK (status IN ('completed', 'reversed'));

-- An entry is reversed at most once, whatever races.
CREATE UNIQUE INDEX journal_entries_reverses_id_key ON journal_entries (reverses_id);

-- TOTP secrets are stored encrypted (AES-256-GCM; the key id travels inside the ciphertext).
ALTER TABLE totp_factors MODIFY secret VARCHAR(255) NOT NULL;

-- Confidential partner back ends authenticate with a secret; public first-party clients
-- (the bank's own web app) have none and may use only the password and refresh grants.
ALTER TABLE partner_clients
  ADD COLUMN type VARCHAR(16) NOT NULL DEFAULT 'confidential',
  ADD CONSTRAINT partner_clients_type_check CHECK (type IN ('confidential', 'public'));

-- Which customers a partner may act for: the ones it onboarded, and the ones who consented.
CREATE TABLE partner_customers (
  partner_id  VARCHAR(64) NOT NULL,
  customer_id VARCHAR(40) NOT NULL,
  source      VARCHAR(16) NOT NULL,
  created_at  DATETIME(3) NOT NULL,
  revoked_at  DATETIME(3) NULL,
  PRIMARY KEY (partner_id, customer_id),
  INDEX partner_customers_customer_id_idx (customer_id),
  CONSTRAINT partner_customers_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES partner_clients (id),
  CONSTRAINT partner_customers_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES users (id),
  CONSTRAINT partner_customers_source_check CHECK (source IN ('onboarded', 'consent'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Access tokens revoked before they expire (RFC 7009, logout); kept until their expiry.
CREATE TABLE revoked_tokens (
  jti        VARCHAR(64) NOT NULL PRIMARY KEY,
  expires_at DATETIME(3) NOT NULL,
  INDEX revoked_tokens_expires_at_idx (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Domain events, written in the transaction of the change they describe (a transactional outbox).
CREATE TABLE events (
  id          VARCHAR(40) NOT NULL PRIMARY KEY,
  type        VARCHAR(64) NOT NULL,
  customer_id VARCHAR(40) NULL,
  data        MEDIUMTEXT  NOT NULL,
  created_at  DATETIME(3) NOT NULL,
  INDEX events_customer_id_id_idx (customer_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
