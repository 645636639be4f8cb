-- The social feed: posts with tags and an optional video, likes, threaded comments, comment likes,
-- and notifications with their e-mail digest schedule.

CREATE TABLE posts (
    id             INTEGER PRIMARY KEY,
    author_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body           TEXT    NOT NULL,               -- Markdown as written
    body_html      TEXT    NOT NULL,               -- rendered and sanitised once, on write
    video_id       INTEGER REFERENCES videos (id) ON DELETE SET NULL,
    status         TEXT    NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'hidden')),
    likes_count    INTEGER NOT NULL DEFAULT 0,     -- kept exact in the like transaction
    comments_count INTEGER NOT NULL DEFAULT 0,
    hot            REAL    NOT NULL,               -- log10(1 + likes + 2·comments) + created_s / 45000
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    edited_at      INTEGER
) STRICT;
-- Following tab and profile: an author's published posts newest first. The status is in the
-- key so that the Following query is an index-only scan (DATA-LAYER: "ids from the index").
CREATE INDEX posts_author ON posts (author_id, status, created_at DESC, id DESC);
-- Popular and For you: hottest first.
CREATE INDEX posts_hot ON posts (status, hot DESC, id DESC);

CREATE TABLE post_tags (
    post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag        TEXT    NOT NULL,
    created_at INTEGER NOT NULL,                   -- the post's, for the tag page's keyset
    PRIMARY KEY (post_id, tag)
) STRICT;
CREATE INDEX post_tags_tag ON post_tags (tag, created_at DESC, post_id DESC);

CREATE TABLE post_likes (
    post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (post_id, user_id)
) STRICT;
CREATE INDEX post_likes_user ON post_likes (user_id, post_id);

CREATE TABLE comments (
    id            INTEGER PRIMARY KEY,
    post_id       INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    parent_id     INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    author_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body          TEXT    NOT NULL,
    body_html     TEXT    NOT NULL,
    depth         INTEGER NOT NULL,                -- 0 for a comment on the post
    likes_count   INTEGER NOT NULL DEFAULT 0,
    replies_count INTEGER NOT NULL DEFAULT 0,
    deleted       INTEGER NOT NULL DEFAULT 0,      -- 1: the text is gone, the place stays for replies
    created_at    INTEGER NOT NULL,
    edited_at     INTEGER
) STRICT;
CREATE INDEX comments_thread ON comments (post_id, parent_id, id);
CREATE INDEX comments_author ON comments (author_id, post_id);

CREATE TABLE comment_likes (
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (comment_id, user_id)
) STRICT;

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    actor_id   INTEGER REFERENCES users (id) ON DELETE CASCADE,
    post_id    INTEGER REFERENCES posts (id) ON DELETE CASCADE,
    comment_id INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    read_at    INTEGER,
    emailed_at INTEGER
) STRICT;
CREATE INDEX notifications_user ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);

-- At most one pending digest mail per person.
CREATE TABLE digest_schedule (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    due_at  INTEGER NOT NULL
) STRICT;
