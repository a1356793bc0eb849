-- Identity and security (issue 4): same tables and triggers as migrations/mysql/0002_security.sql.

CREATE TABLE refresh_tokens (
  id          TEXT     NOT NULL PRIMARY KEY,
  family_id   TEXT     NOT NULL,
  user_id     TEXT     NOT NULL REFERENCES users (id),
  token_hash  TEXT     NOT NULL,
  expires_at  DATETIME NOT NULL,
  created_at  DATETIME NOT NULL,
  rotated_at  DATETIME NULL,
  revoked_at  DATETIME NULL
);
CREATE UNIQUE INDEX refresh_tokens_token_hash_key ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_family_id_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id);

CREATE TABLE totp_factors (
  user_id    TEXT     NOT NULL PRIMARY KEY REFERENCES users (id),
  secret     TEXT     NOT NULL,
  status     TEXT     NOT NULL CHECK (status IN ('pending', 'enabled')),
  last_step  BIGINT   NULL,
  created_at DATETIME NOT NULL,
  enabled_at DATETIME NULL
);

CREATE TABLE recovery_codes (
  id         TEXT     NOT NULL PRIMARY KEY,
  user_id    TEXT     NOT NULL REFERENCES users (id),
  code_hash  TEXT     NOT NULL,
  used_at    DATETIME NULL,
  created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX recovery_codes_code_hash_key ON recovery_codes (code_hash);
CREATE INDEX recovery_codes_user_id_idx ON recovery_codes (user_id);

CREATE TABLE widget_sessions (
  id          TEXT     NOT NULL PRIMARY KEY,
  partner_id  TEXT     NOT NULL REFERENCES partner_clients (id),
  customer_id TEXT     NOT NULL REFERENCES users (id),
  scopes      TEXT     NOT NULL,
  origin      TEXT     NOT NULL,
  expires_at  DATETIME NOT NULL,
  created_at  DATETIME NOT NULL
);
CREATE INDEX widget_sessions_origin_expires_at_idx ON widget_sessions (origin, expires_at);

CREATE TABLE rate_limits (
  bucket       TEXT     NOT NULL,
  window_start BIGINT   NOT NULL,
  hits         INTEGER  NOT NULL,
  expires_at   DATETIME NOT NULL,
  PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limits_expires_at_idx ON rate_limits (expires_at);

CREATE TABLE audit_events (
  seq          BIGINT   NOT NULL PRIMARY KEY,
  id           TEXT     NOT NULL,
  actor_id     TEXT     NOT NULL,
  actor_role   TEXT     NOT NULL,
  action       TEXT     NOT NULL,
  subject_type TEXT     NOT NULL,
  subject_id   TEXT     NULL,
  before_state TEXT     NULL,
  after_state  TEXT     NULL,
  reason       TEXT     NULL,
  request_id   TEXT     NULL,
  created_at   DATETIME NOT NULL,
  prev_hash    TEXT     NOT NULL,
  hash         TEXT     NOT NULL
);
CREATE UNIQUE INDEX audit_events_id_key ON audit_events (id);
CREATE INDEX audit_events_subject_idx ON audit_events (subject_type, subject_id);

CREATE TABLE audit_chain_head (
  id   INTEGER NOT NULL PRIMARY KEY,
  seq  BIGINT  NOT NULL,
  hash TEXT    NOT NULL
);
INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are immutable'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are immutable'); END;
