-- Issue 9: the audit log becomes a transparency log, and postings are chained per account.
--
-- Events are written without any shared lock and never changed. A single sealer (a lease) gives
-- them their log order in rows of its own (audit_seals), appends them to an RFC 9162 Merkle tree
-- (audit_tree_nodes) and signs checkpoints (audit_checkpoints) with a key the database never sees.
-- Unsealed events are found by their missing seal: a trigger puts every new event's id in
-- audit_pending in the event's own transaction, and the sealer removes it when it seals the event.

DROP TRIGGER audit_events_no_update;
DROP TRIGGER audit_events_no_delete;
ALTER TABLE audit_events
  DROP PRIMARY KEY,
  DROP INDEX audit_events_id_key,
  DROP COLUMN seq,
  DROP COLUMN prev_hash,
  DROP COLUMN hash,
  ADD PRIMARY KEY (id),
  ADD INDEX audit_events_created_at_idx (created_at);
DROP TABLE audit_chain_head;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit events are immutable';
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit events are immutable';

CREATE TABLE audit_pending (
  event_id VARCHAR(40) NOT NULL PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- Events written before this migration wait to be sealed like any other.
INSERT INTO audit_pending (event_id) SELECT id FROM audit_events;
CREATE TRIGGER audit_events_pending AFTER INSERT ON audit_events FOR EACH ROW
  INSERT INTO audit_pending (event_id) VALUES (NEW.id);

-- The log order: leaf `seq` (0, 1, 2 …) is event `event_id`, with its RFC 9162 leaf hash (hex).
CREATE TABLE audit_seals (
  seq       BIGINT      NOT NULL PRIMARY KEY,
  event_id  VARCHAR(40) NOT NULL,
  leaf_hash CHAR(64)    NOT NULL,
  sealed_at DATETIME(3) NOT NULL,
  CONSTRAINT audit_seals_event_id_key UNIQUE (event_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every completed perfect subtree of the Merkle tree (level 0 = leaves): what proofs are built from.
CREATE TABLE audit_tree_nodes (
  level SMALLINT NOT NULL,
  idx   BIGINT   NOT NULL,
  hash  CHAR(64) NOT NULL,
  PRIMARY KEY (level, idx)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Signed checkpoints (C2SP tlog-checkpoint bodies, Ed25519 signatures).
CREATE TABLE audit_checkpoints (
  tree_size  BIGINT       NOT NULL PRIMARY KEY,
  root_hash  CHAR(64)     NOT NULL,
  body       VARCHAR(600) NOT NULL,
  signature  VARCHAR(100) NOT NULL,
  key_id     VARCHAR(64)  NOT NULL,
  created_at DATETIME(3)  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TRIGGER audit_seals_no_update BEFORE UPDATE ON audit_seals FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit seals are immutable';
CREATE TRIGGER audit_seals_no_delete BEFORE DELETE ON audit_seals FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit seals are immutable';
CREATE TRIGGER audit_tree_nodes_no_update BEFORE UPDATE ON audit_tree_nodes FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit tree nodes are immutable';
CREATE TRIGGER audit_tree_nodes_no_delete BEFORE DELETE ON audit_tree_nodes FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit tree nodes are immutable';
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit checkpoints are immutable';
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit checkpoints are immutable';

-- Postings chained per account: each carries SHA-256 over the previous posting's hash of the same
-- account and its own fields; the account row keeps the head. Postings written before this
-- migration are outside the chain (NULL), which starts at the account's next posting.
ALTER TABLE postings ADD COLUMN chain_hash CHAR(64) NULL;
ALTER TABLE accounts ADD COLUMN chain_head CHAR(64) NULL;

-- The daily ledger digest: every account's posting count and chain head at the close, hashed in
-- account order and recorded as an audit event, so the signed checkpoints vouch for the ledger.
-- Only the heads that changed since the previous digest are stored.
CREATE TABLE ledger_digests (
  bank_date   CHAR(10)    NOT NULL PRIMARY KEY,
  digest      CHAR(64)    NOT NULL,
  accounts    BIGINT      NOT NULL,
  postings    BIGINT      NOT NULL,
  created_at  DATETIME(3) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE ledger_digest_heads (
  bank_date     CHAR(10)    NOT NULL,
  account_id    VARCHAR(64) NOT NULL,
  posting_count BIGINT      NOT NULL,
  chain_head    CHAR(64)    NULL,
  PRIMARY KEY (bank_date, account_id),
  INDEX ledger_digest_heads_account_idx (account_id, bank_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TRIGGER ledger_digests_no_update BEFORE UPDATE ON ledger_digests FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ledger digests are immutable';
CREATE TRIGGER ledger_digests_no_delete BEFORE DELETE ON ledger_digests FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ledger digests are immutable';
CREATE TRIGGER ledger_digest_heads_no_update BEFORE UPDATE ON ledger_digest_heads FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ledger digests are immutable';
CREATE TRIGGER ledger_digest_heads_no_delete BEFORE DELETE ON ledger_digest_heads FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ledger digests are immutable';

-- Transfers sent together in one all-or-nothing batch share its id.
ALTER TABLE transfers ADD COLUMN batch_id VARCHAR(40) NULL, ADD INDEX transfers_batch_id_idx (batch_id);
