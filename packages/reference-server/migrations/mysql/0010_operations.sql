-- Operations (issue 15): where each publisher of the events outbox has got to.
-- The NATS JetStream publisher (consumer 'nats') keeps the highest event id JetStream has
-- acknowledged; every pass also looks again at a safety window before it, because transactions
-- commit out of id order (src/modules/events/nats-publisher.ts).
CREATE TABLE outbox_cursors (
  consumer   VARCHAR(64) NOT NULL PRIMARY KEY,
  position   VARCHAR(40) NOT NULL,
  updated_at DATETIME(3) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
