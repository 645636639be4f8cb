-- The groundwork for the second half of the map (see the architecture issue):
-- 1. Job lanes: every job runs in a lane with its own workers (media, messages, documents).
-- 2. Live events: PostgreSQL carries them with LISTEN/NOTIFY; `bus_events` is SQLite's channel
--    between processes and stays empty here (kept so that both trees have the same tables).
-- 3. Orders belong to payments and buy an item of any kind; statuses grow (checked in Rust);
--    unpaid orders expire.
-- 4. Notifications name their subject generically (type + id) and carry their link, instead of
--    one column per feature.
-- 5. Certificates outlive their course (the course may be deleted; the certificate stays valid).
-- 6. Roles are checked in Rust (new roles need no migration).

ALTER TABLE jobs ADD COLUMN lane TEXT NOT NULL DEFAULT 'media';
UPDATE jobs SET lane = 'messages' WHERE kind IN ('notify.digest', 'notify.fanout');
UPDATE jobs SET lane = 'documents' WHERE kind = 'certificate_pdf';
DROP INDEX jobs_due;
DROP INDEX jobs_lease;
CREATE INDEX jobs_due ON jobs (lane, status, run_at, id);
CREATE INDEX jobs_lease ON jobs (lane, status, locked_until);

CREATE TABLE bus_events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic      TEXT    NOT NULL,
    payload    TEXT    NOT NULL,
    origin     TEXT    NOT NULL,          -- the process that published it (it delivered its own at once)
    created_at BIGINT  NOT NULL
);
CREATE INDEX bus_events_created ON bus_events (created_at);

ALTER TABLE orders ADD COLUMN item_type TEXT NOT NULL DEFAULT 'course';
ALTER TABLE orders ADD COLUMN item_id BIGINT;
ALTER TABLE orders ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN return_path TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN expires_at BIGINT;
ALTER TABLE orders ADD COLUMN updated_at BIGINT;
UPDATE orders o SET item_id = o.course_id,
    title = COALESCE((SELECT c.title FROM courses c WHERE c.id = o.course_id), ''),
    return_path = '/courses/' || COALESCE((SELECT c.slug FROM courses c WHERE c.id = o.course_id), ''),
    expires_at = o.created_at + 3600000,
    updated_at = COALESCE(o.paid_at, o.created_at);
ALTER TABLE orders ALTER COLUMN item_type DROP DEFAULT;
ALTER TABLE orders ALTER COLUMN item_id SET NOT NULL;
ALTER TABLE orders ALTER COLUMN title DROP DEFAULT;
ALTER TABLE orders ALTER COLUMN return_path DROP DEFAULT;
ALTER TABLE orders ALTER COLUMN expires_at SET NOT NULL;
ALTER TABLE orders ALTER COLUMN updated_at SET NOT NULL;
ALTER TABLE orders DROP COLUMN course_id;
ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_status_check;
-- At most one pending order per buyer and item: a double click or a retried checkout finds
-- the one there is (older duplicates, from before this rule, are cancelled).
UPDATE orders SET status = 'cancelled' WHERE status = 'pending' AND id NOT IN (
    SELECT MAX(id) FROM orders WHERE status = 'pending' GROUP BY item_type, item_id, user_id);
CREATE UNIQUE INDEX orders_one_pending ON orders (item_type, item_id, user_id) WHERE status = 'pending';
INSERT INTO jobs (kind, lane, payload, ref_key, status, attempts, max_attempts, run_at, created_at, updated_at)
SELECT 'payments.expire_order', 'messages', '{"order":"' || public_id || '"}', 'order:' || public_id,
       'queued', 0, 5, expires_at, created_at, created_at
FROM orders WHERE status = 'pending';

ALTER TABLE notifications ADD COLUMN subject_type TEXT;
ALTER TABLE notifications ADD COLUMN subject_id BIGINT;
ALTER TABLE notifications ADD COLUMN link TEXT;
UPDATE notifications n SET
    subject_type = CASE WHEN n.course_id IS NOT NULL THEN 'course' WHEN n.post_id IS NOT NULL THEN 'post' ELSE 'user' END,
    subject_id = COALESCE(n.course_id, n.post_id, n.actor_id, 0),
    link = CASE WHEN n.course_id IS NOT NULL THEN '/studio/courses/' || n.course_id
                WHEN n.post_id IS NOT NULL AND n.comment_id IS NOT NULL THEN '/posts/' || n.post_id || '#comment-' || n.comment_id
                WHEN n.post_id IS NOT NULL THEN '/posts/' || n.post_id
                ELSE '/u/' || COALESCE((SELECT u.handle FROM users u WHERE u.id = n.actor_id), '') END;
ALTER TABLE notifications ALTER COLUMN subject_type SET NOT NULL;
ALTER TABLE notifications ALTER COLUMN subject_id SET NOT NULL;
ALTER TABLE notifications ALTER COLUMN link SET NOT NULL;
ALTER TABLE notifications DROP COLUMN post_id;
ALTER TABLE notifications DROP COLUMN comment_id;
ALTER TABLE notifications DROP COLUMN course_id;
CREATE INDEX notifications_subject ON notifications (subject_type, subject_id);

ALTER TABLE certificates ALTER COLUMN course_id DROP NOT NULL;
ALTER TABLE certificates DROP CONSTRAINT certificates_course_id_fkey;
ALTER TABLE certificates ADD CONSTRAINT certificates_course_id_fkey
    FOREIGN KEY (course_id) REFERENCES courses (id) ON DELETE SET NULL;

ALTER TABLE user_roles DROP CONSTRAINT IF EXISTS user_roles_role_check;
