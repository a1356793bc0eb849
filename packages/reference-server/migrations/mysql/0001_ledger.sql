-- Identity, the double-entry ledger, holds, transfers and idempotency keys (MySQL 8 / MariaDB >= 10.11).
-- utf8mb4_bin everywhere: identifiers compare byte for byte, exactly as on SQLite.

CREATE TABLE users (
  id            VARCHAR(40)  NOT NULL PRIMARY KEY,
  role          VARCHAR(16)  NOT NULL,
  email         VARCHAR(254) NOT NULL,
  phone         VARCHAR(32)  NULL,
  full_name     VARCHAR(200) NOT NULL,
  national_id   VARCHAR(64)  NULL,
  kyc_tier      INT          NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  status        VARCHAR(16)  NOT NULL,
  created_at    DATETIME(3)  NOT NULL,
  CONSTRAINT users_email_key UNIQUE (email),
  CONSTRAINT users_phone_key UNIQUE (phone),
  CONSTRAINT users_role_check CHECK (role IN ('customer', 'banker', 'admin')),
  CONSTRAINT users_kyc_tier_check CHECK (kyc_tier BETWEEN 0 AND 2),
  CONSTRAINT users_status_check CHECK (status IN ('active', 'disabled'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE partner_clients (
  id          VARCHAR(64)  NOT NULL PRIMARY KEY,
  name        VARCHAR(200) NOT NULL,
  secret_hash VARCHAR(255) NOT NULL,
  created_at  DATETIME(3)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE accounts (
  id             VARCHAR(64) NOT NULL PRIMARY KEY,
  owner_id       VARCHAR(40) NULL,
  code           VARCHAR(64) NULL,
  type           VARCHAR(16) NOT NULL,
  category       VARCHAR(16) NOT NULL,
  normal_side    VARCHAR(6)  NOT NULL,
  currency       CHAR(3)     NOT NULL,
  status         VARCHAR(16) NOT NULL,
  allow_negative BOOLEAN     NOT NULL,
  balance_minor  BIGINT      NOT NULL,
  held_minor     BIGINT      NOT NULL,
  posting_count  BIGINT      NOT NULL,
  created_at     DATETIME(3) NOT NULL,
  CONSTRAINT accounts_code_currency_key UNIQUE (code, currency),
  INDEX accounts_owner_id_idx (owner_id),
  CONSTRAINT accounts_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES users (id),
  CONSTRAINT accounts_type_check CHECK (type IN ('wallet', 'savings', 'fixed_deposit', 'bank')),
  CONSTRAINT accounts_category_check CHECK (category IN ('asset', 'liability', 'equity', 'income', 'expense')),
  CONSTRAINT accounts_normal_side_check CHECK (normal_side IN ('debit', 'credit')),
  CONSTRAINT accounts_held_check CHECK (held_minor >= 0),
  -- No overdrafts: an account that may not go negative never has less than its holds.
  CONSTRAINT accounts_available_check CHECK (allow_negative OR balance_minor - held_minor >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE journal_entries (
  id             VARCHAR(40)  NOT NULL PRIMARY KEY,
  kind           VARCHAR(32)  NOT NULL,
  description    VARCHAR(500) NOT NULL,
  reverses_id    VARCHAR(40)  NULL,
  effective_date CHAR(10)     NOT NULL,
  created_at     DATETIME(3)  NOT NULL,
  CONSTRAINT journal_entries_reverses_id_fkey FOREIGN KEY (reverses_id) REFERENCES journal_entries (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE postings (
  id                  VARCHAR(40) NOT NULL PRIMARY KEY,
  entry_id            VARCHAR(40) NOT NULL,
  account_id          VARCHAR(64) NOT NULL,
  account_seq         BIGINT      NOT NULL,
  side                VARCHAR(6)  NOT NULL,
  amount_minor        BIGINT      NOT NULL,
  currency            CHAR(3)     NOT NULL,
  balance_after_minor BIGINT      NOT NULL,
  created_at          DATETIME(3) NOT NULL,
  CONSTRAINT postings_account_id_account_seq_key UNIQUE (account_id, account_seq),
  INDEX postings_entry_id_idx (entry_id),
  CONSTRAINT postings_entry_id_fkey FOREIGN KEY (entry_id) REFERENCES journal_entries (id),
  CONSTRAINT postings_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT postings_side_check CHECK (side IN ('debit', 'credit')),
  CONSTRAINT postings_amount_check CHECK (amount_minor > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE holds (
  id           VARCHAR(40)  NOT NULL PRIMARY KEY,
  account_id   VARCHAR(64)  NOT NULL,
  amount_minor BIGINT       NOT NULL,
  currency     CHAR(3)      NOT NULL,
  status       VARCHAR(8)   NOT NULL,
  description  VARCHAR(500) NOT NULL,
  entry_id     VARCHAR(40)  NULL,
  expires_at   DATETIME(3)  NOT NULL,
  created_at   DATETIME(3)  NOT NULL,
  resolved_at  DATETIME(3)  NULL,
  INDEX holds_account_id_status_idx (account_id, status),
  INDEX holds_status_expires_at_idx (status, expires_at),
  CONSTRAINT holds_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT holds_status_check CHECK (status IN ('pending', 'posted', 'voided')),
  CONSTRAINT holds_amount_check CHECK (amount_minor > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE transfers (
  id              VARCHAR(40)  NOT NULL PRIMARY KEY,
  initiated_by    VARCHAR(40)  NOT NULL,
  from_account_id VARCHAR(64)  NOT NULL,
  to_account_id   VARCHAR(64)  NOT NULL,
  amount_minor    BIGINT       NOT NULL,
  currency        CHAR(3)      NOT NULL,
  reference       VARCHAR(140) NULL,
  status          VARCHAR(16)  NOT NULL,
  entry_id        VARCHAR(40)  NOT NULL,
  created_at      DATETIME(3)  NOT NULL,
  INDEX transfers_from_account_id_idx (from_account_id),
  INDEX transfers_to_account_id_idx (to_account_id),
  INDEX transfers_initiated_by_idx (initiated_by),
  CONSTRAINT transfers_entry_id_fkey FOREIGN KEY (entry_id) REFERENCES journal_entries (id),
  CONSTRAINT transfers_amount_check CHECK (amount_minor > 0),
  CONSTRAINT transfers_distinct_accounts_check CHECK (from_account_id <> to_account_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE idempotency_keys (
  principal_id    VARCHAR(64)  NOT NULL,
  idem_key        VARCHAR(255) NOT NULL,
  request_hash    CHAR(64)     NOT NULL,
  response_status INT          NOT NULL,
  response_body   MEDIUMTEXT   NOT NULL,
  created_at      DATETIME(3)  NOT NULL,
  expires_at      DATETIME(3)  NOT NULL,
  PRIMARY KEY (principal_id, idem_key),
  INDEX idempotency_keys_expires_at_idx (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The books are append-only: a mistake is corrected by a reversing entry, never by an edit.
CREATE TRIGGER journal_entries_no_update BEFORE UPDATE ON journal_entries FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'journal entries are immutable';
CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'journal entries are immutable';
CREATE TRIGGER postings_no_update BEFORE UPDATE ON postings FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'postings are immutable';
CREATE TRIGGER postings_no_delete BEFORE DELETE ON postings FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'postings are immutable';
