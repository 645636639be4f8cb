-- The social feed: posts with tags and an optional video, likes, threaded comments, comment likes,
-- and notifications with their e-mail digest schedule.

CREATE TABLE posts (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id      BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body           TEXT    NOT NULL,               -- Markdown as written
    body_html      TEXT    NOT NULL,               -- rendered and sanitised once, on write
    video_id       BIGINT  REFERENCES videos (id) ON DELETE SET NULL,
    status         TEXT    NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'hidden')),
    likes_count    BIGINT  NOT NULL DEFAULT 0,     -- kept exact in the like transaction
    comments_count BIGINT  NOT NULL DEFAULT 0,
    hot            DOUBLE PRECISION NOT NULL,               -- log10(1 + likes + 2·comments) + created_s / 45000
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    edited_at      BIGINT
);
-- Following tab and profile: an author's published posts newest first. The status is in the
-- key so that the Following query is an index-only scan (DATA-LAYER: "ids from the index").
CREATE INDEX posts_author ON posts (author_id, status, created_at DESC, id DESC);
-- Popular and For you: hottest first.
CREATE INDEX posts_hot ON posts (status, hot DESC, id DESC);

CREATE TABLE post_tags (
    post_id    BIGINT  NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag        TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,                   -- the post's, for the tag page's keyset
    PRIMARY KEY (post_id, tag)
);
CREATE INDEX post_tags_tag ON post_tags (tag, created_at DESC, post_id DESC);

CREATE TABLE post_likes (
    post_id    BIGINT  NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (post_id, user_id)
);
CREATE INDEX post_likes_user ON post_likes (user_id, post_id);

CREATE TABLE comments (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id       BIGINT  NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    parent_id     BIGINT  REFERENCES comments (id) ON DELETE CASCADE,
    author_id     BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body          TEXT    NOT NULL,
    body_html     TEXT    NOT NULL,
    depth         BIGINT  NOT NULL,                -- 0 for a comment on the post
    likes_count   BIGINT  NOT NULL DEFAULT 0,
    replies_count BIGINT  NOT NULL DEFAULT 0,
    deleted       BIGINT  NOT NULL DEFAULT 0,      -- 1: the text is gone, the place stays for replies
    created_at    BIGINT  NOT NULL,
    edited_at     BIGINT
);
CREATE INDEX comments_thread ON comments (post_id, parent_id, id);
CREATE INDEX comments_author ON comments (author_id, post_id);

CREATE TABLE comment_likes (
    comment_id BIGINT  NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (comment_id, user_id)
);

CREATE TABLE notifications (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    actor_id   BIGINT  REFERENCES users (id) ON DELETE CASCADE,
    post_id    BIGINT  REFERENCES posts (id) ON DELETE CASCADE,
    comment_id BIGINT  REFERENCES comments (id) ON DELETE CASCADE,
    created_at BIGINT  NOT NULL,
    read_at    BIGINT,
    emailed_at BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);

-- At most one pending digest mail per person.
CREATE TABLE digest_schedule (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    due_at  BIGINT  NOT NULL
);
