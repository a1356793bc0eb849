-- Pay by phone (issue 12): a customer's saved payees, by phone number. The phone is resolved to a
-- wallet each time money is sent, never stored as an account id; the masked name is the bank's
-- answer when the payee was saved, shown in the picker.
CREATE TABLE saved_payees (
  id           VARCHAR(40)  NOT NULL PRIMARY KEY,
  customer_id  VARCHAR(64)  NOT NULL,
  phone        VARCHAR(20)  NOT NULL,
  label        VARCHAR(60)  NULL,
  display_name VARCHAR(200) NOT NULL,
  created_at   DATETIME(3)  NOT NULL,
  UNIQUE KEY saved_payees_customer_phone (customer_id, phone),
  CONSTRAINT saved_payees_customer_fk FOREIGN KEY (customer_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
