-- Accounts: people, their roles, sessions, e-mail confirmation, password resets and rate limits.
-- Times are unix milliseconds (INTEGER) and booleans 0/1 so that sqlx's Any driver reads them the
-- same way on SQLite and PostgreSQL. STRICT tables make SQLite refuse wrong types as PostgreSQL does.

CREATE TABLE users (
    id                 INTEGER PRIMARY KEY,
    email              TEXT    NOT NULL UNIQUE,      -- stored lower-cased
    password_hash      TEXT    NOT NULL,             -- argon2id PHC string
    display_name       TEXT    NOT NULL,
    handle             TEXT    NOT NULL UNIQUE,      -- stable, readable profile URL: /u/{handle}
    locale             TEXT    NOT NULL DEFAULT 'en',
    email_confirmed_at INTEGER,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
) STRICT;

-- One person may hold several roles (student and tutor, later moderator or admin).
CREATE TABLE user_roles (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT    NOT NULL CHECK (role IN ('student', 'tutor', 'moderator', 'admin')),
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, role)
) STRICT;

-- Only a SHA-256 of the cookie token is stored: a leaked table does not leak sessions.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT    NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,                   -- absolute expiry; idle expiry uses last_seen_at
    user_agent   TEXT    NOT NULL DEFAULT '',
    ip           TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id, last_seen_at);

-- The current 6-digit e-mail confirmation code of a user (hashed), with its wrong-guess counter.
CREATE TABLE email_codes (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT    NOT NULL,
    expires_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    sent_at    INTEGER NOT NULL
) STRICT;

-- Single-use password reset links (hashed token).
CREATE TABLE password_resets (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;
CREATE INDEX password_resets_user ON password_resets (user_id);

-- Fixed-window counters for brute-force limits (login per account and per IP, sign-up, resets).
-- Kept in the database so that several app instances share them.
CREATE TABLE rate_limits (
    key          TEXT    PRIMARY KEY,
    window_start INTEGER NOT NULL,
    count        INTEGER NOT NULL
) STRICT;
