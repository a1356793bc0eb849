-- Pay by phone (issue 12): a customer's saved payees, by phone number. The phone is resolved to a
-- wallet each time money is sent, never stored as an account id; the masked name is the bank's
-- answer when the payee was saved, shown in the picker.
CREATE TABLE saved_payees (
  id           TEXT     NOT NULL PRIMARY KEY,
  customer_id  TEXT     NOT NULL REFERENCES users (id),
  phone        TEXT     NOT NULL,
  label        TEXT     NULL,
  display_name TEXT     NOT NULL,
  created_at   DATETIME NOT NULL,
  UNIQUE (customer_id, phone)
);
