-- Profiles: what a person shows publicly, the follow graph and per-kind e-mail preferences.

CREATE TABLE profiles (
    user_id           INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    headline          TEXT    NOT NULL DEFAULT '',
    bio               TEXT    NOT NULL DEFAULT '',
    avatar_key        TEXT,                          -- storage prefix avatars/{uuid}; files 256.jpg, 64.jpg
    is_tutor          INTEGER NOT NULL DEFAULT 0,    -- mirrors the tutor role for the directory index
    languages         TEXT    NOT NULL DEFAULT '',   -- comma-separated ISO 639-1 codes
    years_experience  INTEGER,
    hourly_rate_minor INTEGER,                       -- money in minor units (kopecks, cents)
    currency          TEXT    NOT NULL DEFAULT 'RUB',
    visibility        TEXT    NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'members')),
    followers_count   INTEGER NOT NULL DEFAULT 0,    -- kept exact in the follow/unfollow transaction
    following_count   INTEGER NOT NULL DEFAULT 0,
    updated_at        INTEGER NOT NULL
) STRICT;
-- The tutors directory: tutors by popularity, keyset on (followers_count, user_id).
CREATE INDEX profiles_tutors ON profiles (is_tutor, followers_count DESC, user_id DESC);

-- Subjects a tutor teaches (codes from the app's catalogue); the directory filters on them.
CREATE TABLE tutor_subjects (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject TEXT    NOT NULL,
    PRIMARY KEY (user_id, subject)
) STRICT;
CREATE INDEX tutor_subjects_subject ON tutor_subjects (subject, user_id);

CREATE TABLE follows (
    follower_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followee_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (follower_id, followee_id),
    CHECK (follower_id <> followee_id)
) STRICT;
CREATE INDEX follows_followee ON follows (followee_id, created_at);

-- E-mail notifications per kind; a missing row means the default (on).
CREATE TABLE notification_prefs (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    TEXT    NOT NULL,
    email   INTEGER NOT NULL,
    PRIMARY KEY (user_id, kind)
) STRICT;
