-- A customer has at most one wallet per currency, whatever races: the key is `owner:currency`
-- for wallets and NULL for every other account (a unique index allows many NULLs).
ALTER TABLE accounts ADD COLUMN wallet_key TEXT NULL;
UPDATE accounts SET wallet_key = owner_id || ':' || currency WHERE type = 'wallet';
CREATE UNIQUE INDEX accounts_wallet_key_key ON accounts (wallet_key);
