-- Course completion certificates. A certificate snapshots what it certifies (names, title,
-- score) when it is issued, so it stays verifiable and unchanged after the course is renamed,
-- archived or its author renames themselves. One per learner and course: concurrent triggers
-- insert with ON CONFLICT DO NOTHING and exactly one wins.

CREATE TABLE certificates (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code           TEXT    NOT NULL UNIQUE,  -- TUT-XXXX-XXXX-XXXX, public, random
    user_id        BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id      BIGINT  NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    attempt_id     BIGINT  REFERENCES quiz_attempts (id) ON DELETE SET NULL, -- the best passing exam attempt
    learner_name   TEXT    NOT NULL,
    course_title   TEXT    NOT NULL,
    tutor_name     TEXT    NOT NULL,
    score_percent  BIGINT  NOT NULL,
    issued_at      BIGINT  NOT NULL,         -- unix ms
    pdf_key        TEXT,                     -- storage key once the PDF is rendered
    revoked_at     BIGINT,                   -- unix ms; NULL: valid
    revoked_reason TEXT,
    revoked_by     BIGINT  REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (user_id, course_id)
);
-- "My certificates", newest first.
CREATE INDEX certificates_user ON certificates (user_id, issued_at);
