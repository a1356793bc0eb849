-- Same table as migrations/mysql/0010_operations.sql.
CREATE TABLE outbox_cursors (
  consumer   TEXT     NOT NULL PRIMARY KEY,
  position   TEXT     NOT NULL,
  updated_at DATETIME NOT NULL
);
