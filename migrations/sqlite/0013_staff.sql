-- Staff tools and MFA: TOTP second factors with recovery codes, sessions that proved one, bans,
-- an index for looking people up by role, and the append-only audit log.

-- A person's TOTP authenticator (RFC 6238). The secret is sealed with the server's key (an
-- HMAC-derived pad per enrolment), so a leaked table alone does not give the codes away.
-- `enabled_at` is NULL while enrolment waits for its first code; `last_step` is the newest
-- 30-second step a code was accepted for, so no code works twice.
CREATE TABLE user_mfa (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    enabled_at INTEGER,
    last_step  INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Single-use recovery codes (SHA-256 of the code), ten per enrolment.
CREATE TABLE mfa_recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT    NOT NULL,
    used_at   INTEGER,
    PRIMARY KEY (user_id, code_hash)
) STRICT;

-- When this session proved a second factor (log-in with a code, enrolment, or unlocking staff
-- tools). Staff roles count only in such sessions.
ALTER TABLE sessions ADD COLUMN mfa_at INTEGER;

-- A ban: the person cannot log in (and is told why), their sessions end, and their posts,
-- comments, courses and profile are hidden from others until they are unbanned.
ALTER TABLE users ADD COLUMN banned_at INTEGER;
ALTER TABLE users ADD COLUMN banned_reason TEXT;
-- Posts and courses a ban hid (so an unban brings back exactly those, not ones a moderator hid).
ALTER TABLE posts ADD COLUMN hidden_by_ban INTEGER NOT NULL DEFAULT 0;
ALTER TABLE courses ADD COLUMN hidden_by_ban INTEGER NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN hidden_by_ban INTEGER NOT NULL DEFAULT 0;
CREATE INDEX users_banned ON users (banned_at) WHERE banned_at IS NOT NULL;
CREATE INDEX users_created ON users (created_at DESC, id DESC);

-- The `support` role needs no change here: role codes are checked in Rust (0009). Staff lists
-- look people up by role.
CREATE INDEX user_roles_role ON user_roles (role, user_id);

-- What staff did and what happened to accounts' security: written in the same transaction as
-- the action, never changed or deleted (the triggers refuse it).
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    -- Who acted (NULL: the command line or the system); no foreign key, so entries outlive accounts.
    actor_id    INTEGER,
    actor_label TEXT    NOT NULL,
    ip          TEXT    NOT NULL DEFAULT '',
    action      TEXT    NOT NULL,
    target_kind TEXT    NOT NULL,
    target_id   INTEGER,
    target_label TEXT   NOT NULL DEFAULT '',
    -- JSON of the state before and after (NULL where there is none).
    before      TEXT,
    after       TEXT,
    reason      TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_action ON audit_log (action, id DESC);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id DESC);
CREATE INDEX audit_log_target ON audit_log (target_kind, target_id, id DESC);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
