-- Course completion certificates. A certificate snapshots what it certifies (names, title,
-- score) when it is issued, so it stays verifiable and unchanged after the course is renamed,
-- archived or its author renames themselves. One per learner and course: concurrent triggers
-- insert with ON CONFLICT DO NOTHING and exactly one wins.

CREATE TABLE certificates (
    id             INTEGER PRIMARY KEY,
    code           TEXT    NOT NULL UNIQUE,  -- TUT-XXXX-XXXX-XXXX, public, random
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id      INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    attempt_id     INTEGER REFERENCES quiz_attempts (id) ON DELETE SET NULL, -- the best passing exam attempt
    learner_name   TEXT    NOT NULL,
    course_title   TEXT    NOT NULL,
    tutor_name     TEXT    NOT NULL,
    score_percent  INTEGER NOT NULL,
    issued_at      INTEGER NOT NULL,         -- unix ms
    pdf_key        TEXT,                     -- storage key once the PDF is rendered
    revoked_at     INTEGER,                  -- unix ms; NULL: valid
    revoked_reason TEXT,
    revoked_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (user_id, course_id)
) STRICT;
-- "My certificates", newest first.
CREATE INDEX certificates_user ON certificates (user_id, issued_at);
