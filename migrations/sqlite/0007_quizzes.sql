-- Quizzes: one per lesson (optional) and one final exam per course. What a tutor saves is an
-- immutable version; attempts point at the version they started with, so editing a quiz never
-- changes how a running (or finished) attempt is graded.

CREATE TABLE quizzes (
    id                 INTEGER PRIMARY KEY,
    course_id          INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    lesson_id          INTEGER REFERENCES lessons (id) ON DELETE CASCADE, -- NULL: the course's final exam
    -- The version new attempts start with. Set in the transaction that inserts the quiz and its
    -- first version (no foreign key: the two tables point at each other; versions go only with
    -- their quiz).
    current_version_id INTEGER,
    title              TEXT    NOT NULL,                 -- the current version's title
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
) STRICT;
-- One quiz per lesson, one final exam per course.
CREATE UNIQUE INDEX quizzes_lesson ON quizzes (lesson_id) WHERE lesson_id IS NOT NULL;
CREATE UNIQUE INDEX quizzes_final ON quizzes (course_id) WHERE lesson_id IS NULL;
CREATE INDEX quizzes_course ON quizzes (course_id, id);

-- Immutable snapshots of a quiz as saved.
CREATE TABLE quiz_versions (
    id                INTEGER PRIMARY KEY,
    quiz_id           INTEGER NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    spec_json         TEXT    NOT NULL,  -- the whole QuizSpec, correct answers included: never sent to learners
    spec_hash         TEXT    NOT NULL,  -- SHA-256 of spec_json: the key of the in-memory cache of parsed specs
    title             TEXT    NOT NULL,
    questions_count   INTEGER NOT NULL,
    total_points      INTEGER NOT NULL,
    pass_percent      INTEGER NOT NULL,
    attempts_allowed  INTEGER,           -- NULL: unlimited
    time_limit_s      INTEGER,           -- NULL: no time limit
    shuffle_questions INTEGER NOT NULL,  -- 0/1
    shuffle_options   INTEGER NOT NULL,  -- 0/1
    created_at        INTEGER NOT NULL,
    -- When a newer version replaced this one; a replaced version without attempts is pruned a
    -- while later (not at once: an attempt may be starting with it right now).
    replaced_at       INTEGER
) STRICT;
CREATE INDEX quiz_versions_quiz ON quiz_versions (quiz_id, id);

CREATE TABLE quiz_attempts (
    id           INTEGER PRIMARY KEY,
    quiz_id      INTEGER NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    version_id   INTEGER NOT NULL REFERENCES quiz_versions (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,  -- 1, 2, 3… per learner and quiz
    seed         INTEGER NOT NULL,  -- secret; fixes the order of questions and options
    started_at   INTEGER NOT NULL,
    deadline_at  INTEGER,           -- NULL: no time limit
    answered_at  INTEGER,           -- the last saved answer
    submitted_at INTEGER,           -- NULL: in progress
    earned       INTEGER NOT NULL DEFAULT 0,
    total        INTEGER NOT NULL DEFAULT 0,
    percent      INTEGER NOT NULL DEFAULT 0,
    passed       INTEGER NOT NULL DEFAULT 0, -- 0/1
    -- Numbers are unique, so concurrent starts cannot exceed the attempts allowed; this index
    -- also serves "my attempts on this quiz".
    UNIQUE (quiz_id, user_id, number)
) STRICT;
-- At most one attempt in progress per learner and quiz.
CREATE UNIQUE INDEX quiz_attempts_open ON quiz_attempts (quiz_id, user_id) WHERE submitted_at IS NULL;
CREATE INDEX quiz_attempts_version ON quiz_attempts (version_id);
CREATE INDEX quiz_attempts_user ON quiz_attempts (user_id, quiz_id);

-- Answers saved as the learner goes, in the positions the learner saw.
CREATE TABLE quiz_answers (
    attempt_id  INTEGER NOT NULL REFERENCES quiz_attempts (id) ON DELETE CASCADE,
    question    INTEGER NOT NULL,  -- the question's id in the attempt's version
    answer_json TEXT    NOT NULL,  -- an Answer
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (attempt_id, question)
) STRICT;
