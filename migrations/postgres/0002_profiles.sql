-- Profiles: what a person shows publicly, the follow graph and per-kind e-mail preferences.

CREATE TABLE profiles (
    user_id           BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    headline          TEXT   NOT NULL DEFAULT '',
    bio               TEXT   NOT NULL DEFAULT '',
    avatar_key        TEXT,                          -- storage prefix avatars/{uuid}; files 256.jpg, 64.jpg
    is_tutor          BIGINT NOT NULL DEFAULT 0,     -- mirrors the tutor role for the directory index
    languages         TEXT   NOT NULL DEFAULT '',    -- comma-separated ISO 639-1 codes
    years_experience  BIGINT,
    hourly_rate_minor BIGINT,                        -- money in minor units (kopecks, cents)
    currency          TEXT   NOT NULL DEFAULT 'RUB',
    visibility        TEXT   NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'members')),
    followers_count   BIGINT NOT NULL DEFAULT 0,     -- kept exact in the follow/unfollow transaction
    following_count   BIGINT NOT NULL DEFAULT 0,
    updated_at        BIGINT NOT NULL
);
-- The tutors directory: tutors by popularity, keyset on (followers_count, user_id).
CREATE INDEX profiles_tutors ON profiles (is_tutor, followers_count DESC, user_id DESC);

-- Subjects a tutor teaches (codes from the app's catalogue); the directory filters on them.
CREATE TABLE tutor_subjects (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject TEXT   NOT NULL,
    PRIMARY KEY (user_id, subject)
);
CREATE INDEX tutor_subjects_subject ON tutor_subjects (subject, user_id);

CREATE TABLE follows (
    follower_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followee_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (follower_id, followee_id),
    CHECK (follower_id <> followee_id)
);
CREATE INDEX follows_followee ON follows (followee_id, created_at);

-- E-mail notifications per kind; a missing row means the default (on).
CREATE TABLE notification_prefs (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT   NOT NULL,
    email   BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind)
);
