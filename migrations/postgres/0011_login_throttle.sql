-- Log-in throttling per account and client address (an IPv4 address or an IPv6 /64), instead of
-- a lock on the account: after LIMIT_LOGIN_PER_ACCOUNT failures from one address each further
-- attempt from it waits `delay_ms` (doubled after every failure, capped), while other addresses
-- are not slowed down. An attempt is counted by one guarded upsert before the password is
-- checked, so parallel guesses cannot get past the limit. A success deletes the row of its
-- address; a password reset deletes every row of the account.
CREATE TABLE login_throttle (
    -- The normalized e-mail, also of addresses without an account (the same answer either way).
    account  TEXT    NOT NULL,
    client   TEXT    NOT NULL,
    -- Attempts counted since the last success or quiet spell.
    failures BIGINT  NOT NULL,
    -- How long after `last_at` the next attempt is refused.
    delay_ms BIGINT  NOT NULL,
    last_at  BIGINT  NOT NULL,
    PRIMARY KEY (account, client)
);
-- Housekeeping deletes rows quiet for a day.
CREATE INDEX login_throttle_last_at ON login_throttle (last_at);
