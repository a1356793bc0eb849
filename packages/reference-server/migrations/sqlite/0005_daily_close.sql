-- Same tables as migrations/mysql/0005_daily_close.sql.

CREATE TABLE bank_state (
  id                INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  clock_offset_days INTEGER NOT NULL CHECK (clock_offset_days >= 0),
  opened_on         TEXT    NOT NULL
);

CREATE TABLE bank_days (
  bank_date TEXT     NOT NULL PRIMARY KEY,
  closed_at DATETIME NOT NULL
);

CREATE TABLE job_runs (
  job         TEXT     NOT NULL,
  bank_date   TEXT     NOT NULL,
  started_at  DATETIME NOT NULL,
  finished_at DATETIME NULL,
  PRIMARY KEY (job, bank_date)
);

CREATE TABLE leases (
  name       TEXT     NOT NULL PRIMARY KEY,
  holder     TEXT     NOT NULL,
  expires_at DATETIME NOT NULL
);
