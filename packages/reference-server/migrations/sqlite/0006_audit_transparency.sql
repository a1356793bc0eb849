-- Issue 9: same design as migrations/mysql/0006_audit_transparency.sql. SQLite cannot drop a
-- primary key in place, so audit_events is rebuilt (its content copied in its old order).

DROP TRIGGER audit_events_no_update;
DROP TRIGGER audit_events_no_delete;
CREATE TABLE audit_events_rebuilt (
  id           TEXT     NOT NULL PRIMARY KEY,
  actor_id     TEXT     NOT NULL,
  actor_role   TEXT     NOT NULL,
  action       TEXT     NOT NULL,
  subject_type TEXT     NOT NULL,
  subject_id   TEXT     NULL,
  before_state TEXT     NULL,
  after_state  TEXT     NULL,
  reason       TEXT     NULL,
  request_id   TEXT     NULL,
  created_at   DATETIME NOT NULL
);
INSERT INTO audit_events_rebuilt (id, actor_id, actor_role, action, subject_type, subject_id,
                                  before_state, after_state, reason, request_id, created_at)
  SELECT id, actor_id, actor_role, action, subject_type, subject_id, before_state, after_state,
         reason, request_id, created_at FROM audit_events ORDER BY seq;
DROP TABLE audit_events;
ALTER TABLE audit_events_rebuilt RENAME TO audit_events;
CREATE INDEX audit_events_subject_idx ON audit_events (subject_type, subject_id);
CREATE INDEX audit_events_created_at_idx ON audit_events (created_at);
DROP TABLE audit_chain_head;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are immutable'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are immutable'); END;

CREATE TABLE audit_pending (event_id TEXT NOT NULL PRIMARY KEY);
INSERT INTO audit_pending (event_id) SELECT id FROM audit_events;
CREATE TRIGGER audit_events_pending AFTER INSERT ON audit_events
BEGIN INSERT INTO audit_pending (event_id) VALUES (NEW.id); END;

CREATE TABLE audit_seals (
  seq       BIGINT   NOT NULL PRIMARY KEY,
  event_id  TEXT     NOT NULL,
  leaf_hash TEXT     NOT NULL,
  sealed_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX audit_seals_event_id_key ON audit_seals (event_id);

CREATE TABLE audit_tree_nodes (
  level SMALLINT NOT NULL,
  idx   BIGINT   NOT NULL,
  hash  TEXT     NOT NULL,
  PRIMARY KEY (level, idx)
);

CREATE TABLE audit_checkpoints (
  tree_size  BIGINT   NOT NULL PRIMARY KEY,
  root_hash  TEXT     NOT NULL,
  body       TEXT     NOT NULL,
  signature  TEXT     NOT NULL,
  key_id     TEXT     NOT NULL,
  created_at DATETIME NOT NULL
);

CREATE TRIGGER audit_seals_no_update BEFORE UPDATE ON audit_seals
BEGIN SELECT RAISE(ABORT, 'audit seals are immutable'); END;
CREATE TRIGGER audit_seals_no_delete BEFORE DELETE ON audit_seals
BEGIN SELECT RAISE(ABORT, 'audit seals are immutable'); END;
CREATE TRIGGER audit_tree_nodes_no_update BEFORE UPDATE ON audit_tree_nodes
BEGIN SELECT RAISE(ABORT, 'audit tree nodes are immutable'); END;
CREATE TRIGGER audit_tree_nodes_no_delete BEFORE DELETE ON audit_tree_nodes
BEGIN SELECT RAISE(ABORT, 'audit tree nodes are immutable'); END;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit checkpoints are immutable'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit checkpoints are immutable'); END;

ALTER TABLE postings ADD COLUMN chain_hash TEXT NULL;
ALTER TABLE accounts ADD COLUMN chain_head TEXT NULL;

CREATE TABLE ledger_digests (
  bank_date  TEXT     NOT NULL PRIMARY KEY,
  digest     TEXT     NOT NULL,
  accounts   BIGINT   NOT NULL,
  postings   BIGINT   NOT NULL,
  created_at DATETIME NOT NULL
);
CREATE TABLE ledger_digest_heads (
  bank_date     TEXT   NOT NULL,
  account_id    TEXT   NOT NULL,
  posting_count BIGINT NOT NULL,
  chain_head    TEXT   NULL,
  PRIMARY KEY (bank_date, account_id)
);
CREATE INDEX ledger_digest_heads_account_idx ON ledger_digest_heads (account_id, bank_date);
CREATE TRIGGER ledger_digests_no_update BEFORE UPDATE ON ledger_digests
BEGIN SELECT RAISE(ABORT, 'ledger digests are immutable'); END;
CREATE TRIGGER ledger_digests_no_delete BEFORE DELETE ON ledger_digests
BEGIN SELECT RAISE(ABORT, 'ledger digests are immutable'); END;
CREATE TRIGGER ledger_digest_heads_no_update BEFORE UPDATE ON ledger_digest_heads
BEGIN SELECT RAISE(ABORT, 'ledger digests are immutable'); END;
CREATE TRIGGER ledger_digest_heads_no_delete BEFORE DELETE ON ledger_digest_heads
BEGIN SELECT RAISE(ABORT, 'ledger digests are immutable'); END;

ALTER TABLE transfers ADD COLUMN batch_id TEXT NULL;
CREATE INDEX transfers_batch_id_idx ON transfers (batch_id);
