-- The bank date and the daily close (issue 10's engine, shared by every domain's daily jobs).

-- One row: the sandbox test clock's offset (days added to the wall-clock bank date; always 0 in
-- production) and the first bank day, before which there is nothing to close.
CREATE TABLE bank_state (
  id                INT      NOT NULL PRIMARY KEY,
  clock_offset_days INT      NOT NULL,
  opened_on         CHAR(10) NOT NULL,
  CONSTRAINT bank_state_single_row CHECK (id = 1),
  CONSTRAINT bank_state_offset_check CHECK (clock_offset_days >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A bank day whose every job has run.
CREATE TABLE bank_days (
  bank_date CHAR(10)    NOT NULL PRIMARY KEY,
  closed_at DATETIME(3) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One job on one bank day: started, and finished once it has run to the end.
CREATE TABLE job_runs (
  job         VARCHAR(64) NOT NULL,
  bank_date   CHAR(10)    NOT NULL,
  started_at  DATETIME(3) NOT NULL,
  finished_at DATETIME(3) NULL,
  PRIMARY KEY (job, bank_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Leases: one holder at a time for work that must run once per bank (the daily close, the audit sealer).
CREATE TABLE leases (
  name       VARCHAR(64) NOT NULL PRIMARY KEY,
  holder     VARCHAR(64) NOT NULL,
  expires_at DATETIME(3) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
