-- Identity and security (issue 4): refresh-token families, TOTP factors and recovery codes, widget
-- sessions, rate-limit counters shared by every server instance, and the hash-chained audit log.

CREATE TABLE refresh_tokens (
  id          VARCHAR(40) NOT NULL PRIMARY KEY,
  family_id   VARCHAR(40) NOT NULL,
  user_id     VARCHAR(40) NOT NULL,
  token_hash  CHAR(64)    NOT NULL,
  expires_at  DATETIME(3) NOT NULL,
  created_at  DATETIME(3) NOT NULL,
  rotated_at  DATETIME(3) NULL,
  revoked_at  DATETIME(3) NULL,
  CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash),
  INDEX refresh_tokens_family_id_idx (family_id),
  INDEX refresh_tokens_user_id_idx (user_id),
  CONSTRAINT refresh_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE totp_factors (
  user_id    VARCHAR(40)  NOT NULL PRIMARY KEY,
  secret     VARCHAR(128) NOT NULL,
  status     VARCHAR(8)   NOT NULL,
  last_step  BIGINT       NULL,
  created_at DATETIME(3)  NOT NULL,
  enabled_at DATETIME(3)  NULL,
  CONSTRAINT totp_factors_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT totp_factors_status_check CHECK (status IN ('pending', 'enabled'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE recovery_codes (
  id         VARCHAR(40) NOT NULL PRIMARY KEY,
  user_id    VARCHAR(40) NOT NULL,
  code_hash  CHAR(64)    NOT NULL,
  used_at    DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL,
  CONSTRAINT recovery_codes_code_hash_key UNIQUE (code_hash),
  INDEX recovery_codes_user_id_idx (user_id),
  CONSTRAINT recovery_codes_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE widget_sessions (
  id          VARCHAR(40)  NOT NULL PRIMARY KEY,
  partner_id  VARCHAR(64)  NOT NULL,
  customer_id VARCHAR(40)  NOT NULL,
  scopes      VARCHAR(500) NOT NULL,
  origin      VARCHAR(255) NOT NULL,
  expires_at  DATETIME(3)  NOT NULL,
  created_at  DATETIME(3)  NOT NULL,
  INDEX widget_sessions_origin_expires_at_idx (origin, expires_at),
  CONSTRAINT widget_sessions_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES partner_clients (id),
  CONSTRAINT widget_sessions_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Fixed-window counters: one row per key and window, incremented atomically by every instance.
CREATE TABLE rate_limits (
  bucket       VARCHAR(255) NOT NULL,
  window_start BIGINT       NOT NULL,
  hits         INT          NOT NULL,
  expires_at   DATETIME(3)  NOT NULL,
  PRIMARY KEY (bucket, window_start),
  INDEX rate_limits_expires_at_idx (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE audit_events (
  seq          BIGINT       NOT NULL PRIMARY KEY,
  id           VARCHAR(40)  NOT NULL,
  actor_id     VARCHAR(64)  NOT NULL,
  actor_role   VARCHAR(16)  NOT NULL,
  action       VARCHAR(64)  NOT NULL,
  subject_type VARCHAR(32)  NOT NULL,
  subject_id   VARCHAR(64)  NULL,
  before_state MEDIUMTEXT   NULL,
  after_state  MEDIUMTEXT   NULL,
  reason       VARCHAR(500) NULL,
  request_id   VARCHAR(64)  NULL,
  created_at   DATETIME(3)  NOT NULL,
  prev_hash    CHAR(64)     NOT NULL,
  hash         CHAR(64)     NOT NULL,
  CONSTRAINT audit_events_id_key UNIQUE (id),
  INDEX audit_events_subject_idx (subject_type, subject_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The head of the chain: appends lock this one row, so events are numbered and chained one at a time.
CREATE TABLE audit_chain_head (
  id   INT      NOT NULL PRIMARY KEY,
  seq  BIGINT   NOT NULL,
  hash CHAR(64) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit events are immutable';
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit events are immutable';
