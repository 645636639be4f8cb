-- no-transaction
-- The groundwork for the second half of the map (see the architecture issue):
-- 1. Job lanes: every job runs in a lane with its own workers (media, messages, documents).
-- 2. Live events between processes on SQLite (`server/bus.rs`); PostgreSQL uses LISTEN/NOTIFY.
-- 3. Orders belong to payments and buy an item of any kind; statuses grow (checked in Rust);
--    unpaid orders expire.
-- 4. Notifications name their subject generically (type + id) and carry their link, instead of
--    one column per feature.
-- 5. Certificates outlive their course (the course may be deleted; the certificate stays valid).
-- 6. Roles are checked in Rust (new roles need no table rebuild).
--
-- SQLite cannot alter a column's constraints, so tables 3–6 are rebuilt, with foreign keys off
-- during the rebuild (the documented procedure: an implicit DELETE on DROP TABLE would otherwise
-- clear `enrollments.order_id`). Hence no implicit transaction: the rebuild is one explicit one.
PRAGMA foreign_keys = OFF;
BEGIN;

ALTER TABLE jobs ADD COLUMN lane TEXT NOT NULL DEFAULT 'media';
UPDATE jobs SET lane = 'messages' WHERE kind IN ('notify.digest', 'notify.fanout');
UPDATE jobs SET lane = 'documents' WHERE kind = 'certificate_pdf';
DROP INDEX jobs_due;
DROP INDEX jobs_lease;
-- Claiming: the oldest due queued job of a lane, or a running one whose lease ran out.
CREATE INDEX jobs_due ON jobs (lane, status, run_at, id);
CREATE INDEX jobs_lease ON jobs (lane, status, locked_until);

-- Wake-ups for other processes' subscribers (written in batches), read in id order, purged after ten minutes.
CREATE TABLE bus_events (
    id         INTEGER PRIMARY KEY,
    topic      TEXT    NOT NULL,
    payload    TEXT    NOT NULL,          -- JSON
    origin     TEXT    NOT NULL,          -- the process that published it (it delivered its own at once)
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX bus_events_created ON bus_events (created_at);

CREATE TABLE orders_new (
    id           INTEGER PRIMARY KEY,
    public_id    TEXT    NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item_type    TEXT    NOT NULL,        -- what is bought: 'course' (tickets, lessons, packages, top-ups next)
    item_id      INTEGER NOT NULL,        -- its id in the feature that sells it; no foreign key: an order outlives its item
    title        TEXT    NOT NULL,        -- what was bought, as the buyer saw it
    return_path  TEXT    NOT NULL,        -- where the buyer goes once it is paid
    amount_minor INTEGER NOT NULL,
    currency     TEXT    NOT NULL,
    provider     TEXT    NOT NULL,
    status       TEXT    NOT NULL,        -- pending, paid, cancelled, expired, refunded, partially_refunded
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,        -- a pending order expires then
    paid_at      INTEGER,
    updated_at   INTEGER NOT NULL
) STRICT;
INSERT INTO orders_new (id, public_id, user_id, item_type, item_id, title, return_path, amount_minor,
                        currency, provider, status, created_at, expires_at, paid_at, updated_at)
SELECT o.id, o.public_id, o.user_id, 'course', o.course_id, COALESCE(c.title, ''),
       '/courses/' || COALESCE(c.slug, ''), o.amount_minor, o.currency, o.provider, o.status,
       o.created_at, o.created_at + 3600000, o.paid_at, COALESCE(o.paid_at, o.created_at)
FROM orders o LEFT JOIN courses c ON c.id = o.course_id;
DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;
CREATE INDEX orders_user ON orders (user_id, id DESC);
-- At most one pending order per buyer and item: a double click or a retried checkout finds
-- the one there is (older duplicates, from before this rule, are cancelled).
UPDATE orders SET status = 'cancelled' WHERE status = 'pending' AND id NOT IN (
    SELECT MAX(id) FROM orders WHERE status = 'pending' GROUP BY item_type, item_id, user_id);
CREATE UNIQUE INDEX orders_one_pending ON orders (item_type, item_id, user_id) WHERE status = 'pending';
-- Orders that waited too long for their payment are expired by a job at expires_at; pending
-- orders from before lanes existed get that job here.
INSERT INTO jobs (kind, lane, payload, ref_key, status, attempts, max_attempts, run_at, created_at, updated_at)
SELECT 'payments.expire_order', 'messages', '{"order":"' || public_id || '"}', 'order:' || public_id,
       'queued', 0, 5, expires_at, created_at, created_at
FROM orders WHERE status = 'pending';

CREATE TABLE notifications_new (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL,
    actor_id     INTEGER REFERENCES users (id) ON DELETE CASCADE,
    subject_type TEXT    NOT NULL,        -- what it is about, named by its feature: 'post', 'course', 'user', …
    subject_id   INTEGER NOT NULL,
    link         TEXT    NOT NULL,        -- where it leads, made by the feature that sends it
    created_at   INTEGER NOT NULL,
    read_at      INTEGER,
    emailed_at   INTEGER
) STRICT;
INSERT INTO notifications_new (id, user_id, kind, actor_id, subject_type, subject_id, link, created_at, read_at, emailed_at)
SELECT n.id, n.user_id, n.kind, n.actor_id,
       CASE WHEN n.course_id IS NOT NULL THEN 'course' WHEN n.post_id IS NOT NULL THEN 'post' ELSE 'user' END,
       COALESCE(n.course_id, n.post_id, n.actor_id, 0),
       CASE WHEN n.course_id IS NOT NULL THEN '/studio/courses/' || n.course_id
            WHEN n.post_id IS NOT NULL AND n.comment_id IS NOT NULL THEN '/posts/' || n.post_id || '#comment-' || n.comment_id
            WHEN n.post_id IS NOT NULL THEN '/posts/' || n.post_id
            ELSE '/u/' || COALESCE((SELECT handle FROM users u WHERE u.id = n.actor_id), '') END,
       n.created_at, n.read_at, n.emailed_at
FROM notifications n;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_user ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);
-- Forgetting what was said about a deleted post or course.
CREATE INDEX notifications_subject ON notifications (subject_type, subject_id);

CREATE TABLE certificates_new (
    id             INTEGER PRIMARY KEY,
    code           TEXT    NOT NULL UNIQUE,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id      INTEGER REFERENCES courses (id) ON DELETE SET NULL, -- NULL once the course is deleted
    attempt_id     INTEGER REFERENCES quiz_attempts (id) ON DELETE SET NULL,
    learner_name   TEXT    NOT NULL,
    course_title   TEXT    NOT NULL,
    tutor_name     TEXT    NOT NULL,
    score_percent  INTEGER NOT NULL,
    issued_at      INTEGER NOT NULL,
    pdf_key        TEXT,
    revoked_at     INTEGER,
    revoked_reason TEXT,
    revoked_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (user_id, course_id)
) STRICT;
INSERT INTO certificates_new SELECT id, code, user_id, course_id, attempt_id, learner_name, course_title,
       tutor_name, score_percent, issued_at, pdf_key, revoked_at, revoked_reason, revoked_by FROM certificates;
DROP TABLE certificates;
ALTER TABLE certificates_new RENAME TO certificates;
CREATE INDEX certificates_user ON certificates (user_id, issued_at);

CREATE TABLE user_roles_new (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT    NOT NULL,          -- accounts::Role codes, checked in Rust
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, role)
) STRICT;
INSERT INTO user_roles_new SELECT user_id, role, granted_at FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_new RENAME TO user_roles;

COMMIT;
PRAGMA foreign_keys = ON;
