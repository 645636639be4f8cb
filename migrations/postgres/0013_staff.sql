-- Staff tools and MFA: TOTP second factors with recovery codes, sessions that proved one, bans,
-- an index for looking people up by role, and the append-only audit log.

-- A person's TOTP authenticator (RFC 6238). The secret is sealed with the server's key (an
-- HMAC-derived pad per enrolment), so a leaked table alone does not give the codes away.
-- `enabled_at` is NULL while enrolment waits for its first code; `last_step` is the newest
-- 30-second step a code was accepted for, so no code works twice.
CREATE TABLE user_mfa (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret     TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    enabled_at BIGINT,
    last_step  BIGINT NOT NULL DEFAULT 0
);

-- Single-use recovery codes (SHA-256 of the code), ten per enrolment.
CREATE TABLE mfa_recovery_codes (
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT   NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- When this session proved a second factor (log-in with a code, enrolment, or unlocking staff
-- tools). Staff roles count only in such sessions.
ALTER TABLE sessions ADD COLUMN mfa_at BIGINT;

-- A ban: the person cannot log in (and is told why), their sessions end, and their posts,
-- comments, courses and profile are hidden from others until they are unbanned.
ALTER TABLE users ADD COLUMN banned_at BIGINT;
ALTER TABLE users ADD COLUMN banned_reason TEXT;
-- Posts and courses a ban hid (so an unban brings back exactly those, not ones a moderator hid).
ALTER TABLE posts ADD COLUMN hidden_by_ban BIGINT NOT NULL DEFAULT 0;
ALTER TABLE courses ADD COLUMN hidden_by_ban BIGINT NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN hidden_by_ban BIGINT NOT NULL DEFAULT 0;
CREATE INDEX users_banned ON users (banned_at) WHERE banned_at IS NOT NULL;
CREATE INDEX users_created ON users (created_at DESC, id DESC);

-- The `support` role needs no change here: role codes are checked in Rust (0009). Staff lists
-- look people up by role.
CREATE INDEX user_roles_role ON user_roles (role, user_id);

-- What staff did and what happened to accounts' security: written in the same transaction as
-- the action, never changed or deleted (the trigger refuses it).
CREATE TABLE audit_log (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           BIGINT NOT NULL,
    -- Who acted (NULL: the command line or the system); no foreign key, so entries outlive accounts.
    actor_id     BIGINT,
    actor_label  TEXT   NOT NULL,
    ip           TEXT   NOT NULL DEFAULT '',
    action       TEXT   NOT NULL,
    target_kind  TEXT   NOT NULL,
    target_id    BIGINT,
    target_label TEXT   NOT NULL DEFAULT '',
    -- JSON of the state before and after (NULL where there is none).
    before       TEXT,
    after        TEXT,
    reason       TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_action ON audit_log (action, id DESC);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id DESC);
CREATE INDEX audit_log_target ON audit_log (target_kind, target_id, id DESC);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
