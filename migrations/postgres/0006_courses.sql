-- Courses: authoring (sections, lessons, attachments), the review lifecycle, the catalog with
-- full-text search, enrollment (free, or through a confirmed order), and per-lesson progress.

CREATE TABLE courses (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug                TEXT    NOT NULL UNIQUE,   -- stable, readable URL: /courses/{slug}
    author_id           BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title               TEXT    NOT NULL,
    description         TEXT    NOT NULL,          -- Markdown
    description_html    TEXT    NOT NULL,          -- rendered and sanitised on write
    outcomes            TEXT    NOT NULL DEFAULT '', -- "what you will learn", one per line
    category            TEXT    NOT NULL,
    level               TEXT    NOT NULL CHECK (level IN ('beginner', 'intermediate', 'advanced')),
    language            TEXT    NOT NULL,
    price_minor         BIGINT NOT NULL DEFAULT 0, -- 0 = free
    currency            TEXT    NOT NULL DEFAULT 'RUB',
    cover_key           TEXT,                      -- covers/{uuid}: 1280.jpg, 640.jpg
    status              TEXT    NOT NULL CHECK (status IN ('draft', 'review', 'published', 'archived')),
    -- A published course's new title/description wait here until a moderator approves them.
    pending_title       TEXT,
    pending_description TEXT,
    changes_state       TEXT    NOT NULL DEFAULT 'none' CHECK (changes_state IN ('none', 'editing', 'review', 'returned')),
    review_feedback     TEXT,                      -- the moderator's last words to the author
    submitted_at        BIGINT,
    published_at        BIGINT,
    structure_version   BIGINT NOT NULL DEFAULT 0, -- bumps on every change of sections/lessons order
    lessons_count       BIGINT NOT NULL DEFAULT 0,
    duration_ms         BIGINT NOT NULL DEFAULT 0, -- of the lessons' videos
    enrollments_count   BIGINT NOT NULL DEFAULT 0,
    rating_x100         BIGINT  NOT NULL DEFAULT 0, -- average review rating × 100 (reviews come later)
    rating_count        BIGINT NOT NULL DEFAULT 0,
    search_doc          TEXT    NOT NULL DEFAULT '', -- stemmed words (Russian and English) of title, description, lesson titles
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);
CREATE INDEX courses_newest ON courses (status, published_at DESC, id DESC);
CREATE INDEX courses_popular ON courses (status, enrollments_count DESC, id DESC);
CREATE INDEX courses_price ON courses (status, price_minor, id);
CREATE INDEX courses_rating ON courses (status, rating_x100 DESC, id DESC);
CREATE INDEX courses_author ON courses (author_id, id DESC);
CREATE INDEX courses_sitemap ON courses (status, id);
CREATE INDEX courses_queue ON courses (status, submitted_at, id);
CREATE INDEX courses_changes ON courses (changes_state, submitted_at, id);

-- Full-text search over the stemmed document: a generated tsvector with a GIN index. The words are
-- stemmed by the app (the same Russian and English stemmers as on SQLite), hence the 'simple' config.
ALTER TABLE courses ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_doc)) STORED;
CREATE INDEX courses_search ON courses USING GIN (search_tsv);

CREATE TABLE course_sections (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    title     TEXT    NOT NULL,
    position  BIGINT NOT NULL
);
CREATE INDEX course_sections_course ON course_sections (course_id, position);

CREATE TABLE lessons (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id    BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    section_id   BIGINT NOT NULL REFERENCES course_sections (id) ON DELETE CASCADE,
    title        TEXT    NOT NULL,
    body         TEXT    NOT NULL DEFAULT '',
    body_html    TEXT    NOT NULL DEFAULT '',
    video_id     BIGINT REFERENCES videos (id) ON DELETE SET NULL,
    free_preview BIGINT NOT NULL DEFAULT 0,
    position     BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX lessons_course ON lessons (course_id, section_id, position);

CREATE TABLE lesson_attachments (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lesson_id  BIGINT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    storage_key TEXT   NOT NULL,
    size_bytes BIGINT NOT NULL,
    mime       TEXT    NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX lesson_attachments_lesson ON lesson_attachments (lesson_id, id);

CREATE TABLE orders (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id   TEXT    NOT NULL UNIQUE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    course_id   BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    amount_minor BIGINT NOT NULL,
    currency    TEXT    NOT NULL,
    provider    TEXT    NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('pending', 'paid', 'cancelled')),
    created_at  BIGINT NOT NULL,
    paid_at     BIGINT
);
CREATE INDEX orders_user ON orders (user_id, id DESC);

CREATE TABLE enrollments (
    course_id      BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    order_id       BIGINT REFERENCES orders (id) ON DELETE SET NULL,
    last_lesson_id BIGINT REFERENCES lessons (id) ON DELETE SET NULL,
    completed_lessons BIGINT NOT NULL DEFAULT 0,
    completed_at   BIGINT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX enrollments_user ON enrollments (user_id, updated_at DESC);

-- Per lesson and learner: started, completed, where the video stopped.
CREATE TABLE lesson_progress (
    user_id          BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lesson_id        BIGINT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    course_id        BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    started_at       BIGINT NOT NULL,
    completed_at     BIGINT,
    last_position_ms BIGINT NOT NULL DEFAULT 0,
    updated_at       BIGINT NOT NULL,
    PRIMARY KEY (user_id, lesson_id)
);
CREATE INDEX lesson_progress_course ON lesson_progress (course_id, user_id);

-- Moderation results reach the author as notifications about a course.
ALTER TABLE notifications ADD COLUMN course_id BIGINT REFERENCES courses (id) ON DELETE CASCADE;
