-- Issue 14: money in and out over rails (M-Pesa, RTGS), and events out (webhooks, SSE).

-- A deposit or withdrawal over a rail: pending until the rail gives a definite answer, then
-- succeeded or failed exactly once (conditional updates on `status`). A withdrawal's money is held
-- (`hold_id`) from the start; a deposit credits once per rail receipt (`rail_receipts`).
CREATE TABLE rail_movements (
  id              VARCHAR(40)   NOT NULL PRIMARY KEY,
  direction       VARCHAR(10)   NOT NULL,
  rail            VARCHAR(16)   NOT NULL,
  customer_id     VARCHAR(40)   NOT NULL,
  account_id      VARCHAR(64)   NOT NULL,
  amount_minor    BIGINT        NOT NULL,
  currency        CHAR(3)       NOT NULL,
  status          VARCHAR(10)   NOT NULL,
  failure_reason  VARCHAR(200)  NULL,
  destination     VARCHAR(1000) NOT NULL,
  destination_key VARCHAR(200)  NOT NULL,
  rail_reference  VARCHAR(100)  NULL,
  receipt         VARCHAR(64)   NULL,
  hold_id         VARCHAR(40)   NULL,
  entry_id        VARCHAR(40)   NULL,
  bank_date       CHAR(10)      NOT NULL,
  created_at      DATETIME(3)   NOT NULL,
  submitted_at    DATETIME(3)   NULL,
  resolved_at     DATETIME(3)   NULL,
  deadline_at     DATETIME(3)   NOT NULL,
  next_check_at   DATETIME(3)   NULL,
  checks          INT           NOT NULL,
  alerted_at      DATETIME(3)   NULL,
  CONSTRAINT rail_movements_rail_reference_key UNIQUE (rail, rail_reference),
  CONSTRAINT rail_movements_hold_id_key UNIQUE (hold_id),
  INDEX rail_movements_customer_id_id_idx (customer_id, id),
  INDEX rail_movements_status_next_check_at_idx (status, next_check_at),
  INDEX rail_movements_customer_destination_idx (customer_id, destination_key),
  CONSTRAINT rail_movements_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES users (id),
  CONSTRAINT rail_movements_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id),
  CONSTRAINT rail_movements_direction_check CHECK (direction IN ('deposit', 'withdrawal')),
  CONSTRAINT rail_movements_status_check CHECK (status IN ('pending', 'succeeded', 'failed')),
  CONSTRAINT rail_movements_amount_check CHECK (amount_minor > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Money a rail brought in, once per rail receipt (M-Pesa receipt number, C2B TransID): the unique
-- key refuses a second credit of the same receipt, however late or often the rail repeats it.
CREATE TABLE rail_receipts (
  rail         VARCHAR(16)  NOT NULL,
  receipt      VARCHAR(64)  NOT NULL,
  kind         VARCHAR(16)  NOT NULL,
  amount_minor BIGINT       NOT NULL,
  currency     CHAR(3)      NOT NULL,
  movement_id  VARCHAR(40)  NULL,
  target       VARCHAR(16)  NOT NULL,
  target_id    VARCHAR(64)  NULL,
  entry_id     VARCHAR(40)  NULL,
  reference    VARCHAR(100) NULL,
  created_at   DATETIME(3)  NOT NULL,
  PRIMARY KEY (rail, receipt),
  CONSTRAINT rail_receipts_amount_check CHECK (amount_minor > 0),
  CONSTRAINT rail_receipts_target_check CHECK (target IN ('deposit', 'loan', 'wallet', 'suspense'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- What the rails told us (after the caller was authenticated), kept as they said it; applied at
-- once, or later when it names a movement not yet known (a callback that overtook its request).
CREATE TABLE rail_inbox (
  id           VARCHAR(40)  NOT NULL PRIMARY KEY,
  rail         VARCHAR(16)  NOT NULL,
  kind         VARCHAR(32)  NOT NULL,
  reference    VARCHAR(100) NULL,
  outcome      MEDIUMTEXT   NOT NULL,
  received_at  DATETIME(3)  NOT NULL,
  processed_at DATETIME(3)  NULL,
  attempts     INT          NOT NULL,
  INDEX rail_inbox_processed_at_idx (processed_at, received_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Standard Webhooks endpoints of a customer or a partner; the secret is sealed (AES-256-GCM).
CREATE TABLE webhook_endpoints (
  id              VARCHAR(40)  NOT NULL PRIMARY KEY,
  owner_type      VARCHAR(10)  NOT NULL,
  owner_id        VARCHAR(64)  NOT NULL,
  url             VARCHAR(2048) NOT NULL,
  events          VARCHAR(2000) NOT NULL,
  secret          VARCHAR(255) NOT NULL,
  status          VARCHAR(10)  NOT NULL,
  disabled_reason VARCHAR(200) NULL,
  created_at      DATETIME(3)  NOT NULL,
  disabled_at     DATETIME(3)  NULL,
  deleted_at      DATETIME(3)  NULL,
  INDEX webhook_endpoints_owner_idx (owner_type, owner_id),
  CONSTRAINT webhook_endpoints_owner_type_check CHECK (owner_type IN ('customer', 'partner')),
  CONSTRAINT webhook_endpoints_status_check CHECK (status IN ('enabled', 'disabled'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One event for one endpoint: retried with backoff until a 2xx, always with the same webhook-id.
CREATE TABLE webhook_deliveries (
  endpoint_id      VARCHAR(40)  NOT NULL,
  event_id         VARCHAR(40)  NOT NULL,
  status           VARCHAR(10)  NOT NULL,
  attempts         INT          NOT NULL,
  next_attempt_at  DATETIME(3)  NULL,
  last_attempt_at  DATETIME(3)  NULL,
  last_status      INT          NULL,
  last_error       VARCHAR(500) NULL,
  created_at       DATETIME(3)  NOT NULL,
  delivered_at     DATETIME(3)  NULL,
  PRIMARY KEY (endpoint_id, event_id),
  INDEX webhook_deliveries_status_next_idx (status, next_attempt_at),
  CONSTRAINT webhook_deliveries_endpoint_id_fkey FOREIGN KEY (endpoint_id) REFERENCES webhook_endpoints (id),
  CONSTRAINT webhook_deliveries_event_id_fkey FOREIGN KEY (event_id) REFERENCES events (id),
  CONSTRAINT webhook_deliveries_status_check CHECK (status IN ('pending', 'delivered', 'failed'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The events' commit order: ids are time-ordered ulids taken before commit, so events commit out
-- of id order. One sequencer (under a lease) numbers committed events 1, 2, 3…; a number is only
-- ever given after every smaller one, so a reader that resumes after `seq` never skips an event.
ALTER TABLE events ADD COLUMN seq BIGINT NULL;
CREATE UNIQUE INDEX events_seq_key ON events (seq);
CREATE INDEX events_customer_id_seq_idx ON events (customer_id, seq);
CREATE INDEX events_unsequenced_idx ON events (seq, id);
