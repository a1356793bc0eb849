-- Same tables as migrations/mysql/0009_rails.sql.

CREATE TABLE rail_movements (
  id              TEXT     NOT NULL PRIMARY KEY,
  direction       TEXT     NOT NULL CHECK (direction IN ('deposit', 'withdrawal')),
  rail            TEXT     NOT NULL,
  customer_id     TEXT     NOT NULL REFERENCES users (id),
  account_id      TEXT     NOT NULL REFERENCES accounts (id),
  amount_minor    BIGINT   NOT NULL CHECK (amount_minor > 0),
  currency        TEXT     NOT NULL,
  status          TEXT     NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  failure_reason  TEXT     NULL,
  destination     TEXT     NOT NULL,
  destination_key TEXT     NOT NULL,
  rail_reference  TEXT     NULL,
  receipt         TEXT     NULL,
  hold_id         TEXT     NULL,
  entry_id        TEXT     NULL,
  bank_date       TEXT     NOT NULL,
  created_at      DATETIME NOT NULL,
  submitted_at    DATETIME NULL,
  resolved_at     DATETIME NULL,
  deadline_at     DATETIME NOT NULL,
  next_check_at   DATETIME NULL,
  checks          INTEGER  NOT NULL,
  alerted_at      DATETIME NULL
);
CREATE UNIQUE INDEX rail_movements_rail_reference_key ON rail_movements (rail, rail_reference);
CREATE UNIQUE INDEX rail_movements_hold_id_key ON rail_movements (hold_id);
CREATE INDEX rail_movements_customer_id_id_idx ON rail_movements (customer_id, id);
CREATE INDEX rail_movements_status_next_check_at_idx ON rail_movements (status, next_check_at);
CREATE INDEX rail_movements_customer_destination_idx ON rail_movements (customer_id, destination_key);

CREATE TABLE rail_receipts (
  rail         TEXT     NOT NULL,
  receipt      TEXT     NOT NULL,
  kind         TEXT     NOT NULL,
  amount_minor BIGINT   NOT NULL CHECK (amount_minor > 0),
  currency     TEXT     NOT NULL,
  movement_id  TEXT     NULL,
  target       TEXT     NOT NULL CHECK (target IN ('deposit', 'loan', 'wallet', 'suspense')),
  target_id    TEXT     NULL,
  entry_id     TEXT     NULL,
  reference    TEXT     NULL,
  created_at   DATETIME NOT NULL,
  PRIMARY KEY (rail, receipt)
);

CREATE TABLE rail_inbox (
  id           TEXT     NOT NULL PRIMARY KEY,
  rail         TEXT     NOT NULL,
  kind         TEXT     NOT NULL,
  reference    TEXT     NULL,
  outcome      TEXT     NOT NULL,
  received_at  DATETIME NOT NULL,
  processed_at DATETIME NULL,
  attempts     INTEGER  NOT NULL
);
CREATE INDEX rail_inbox_processed_at_idx ON rail_inbox (processed_at, received_at);

CREATE TABLE webhook_endpoints (
  id              TEXT     NOT NULL PRIMARY KEY,
  owner_type      TEXT     NOT NULL CHECK (owner_type IN ('customer', 'partner')),
  owner_id        TEXT     NOT NULL,
  url             TEXT     NOT NULL,
  events          TEXT     NOT NULL,
  secret          TEXT     NOT NULL,
  status          TEXT     NOT NULL CHECK (status IN ('enabled', 'disabled')),
  disabled_reason TEXT     NULL,
  created_at      DATETIME NOT NULL,
  disabled_at     DATETIME NULL,
  deleted_at      DATETIME NULL
);
CREATE INDEX webhook_endpoints_owner_idx ON webhook_endpoints (owner_type, owner_id);

CREATE TABLE webhook_deliveries (
  endpoint_id     TEXT     NOT NULL REFERENCES webhook_endpoints (id),
  event_id        TEXT     NOT NULL REFERENCES events (id),
  status          TEXT     NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts        INTEGER  NOT NULL,
  next_attempt_at DATETIME NULL,
  last_attempt_at DATETIME NULL,
  last_status     INTEGER  NULL,
  last_error      TEXT     NULL,
  created_at      DATETIME NOT NULL,
  delivered_at    DATETIME NULL,
  PRIMARY KEY (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_status_next_idx ON webhook_deliveries (status, next_attempt_at);

ALTER TABLE events ADD COLUMN seq BIGINT NULL;
CREATE UNIQUE INDEX events_seq_key ON events (seq);
CREATE INDEX events_customer_id_seq_idx ON events (customer_id, seq);
CREATE INDEX events_unsequenced_idx ON events (seq, id);
