-- Videos: uploaded by their owner (resumably), validated with ffprobe, transcoded by a job into
-- H.264/AAC renditions (MP4 with faststart, and an HLS ladder), a poster and a thumbnail strip.
-- Storage keys live under videos/{public_id}/.
CREATE TABLE videos (
    id             INTEGER PRIMARY KEY,
    public_id      TEXT    NOT NULL UNIQUE,        -- random, used in URLs and storage keys
    owner_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title          TEXT    NOT NULL,               -- the uploaded file's name, for the owner's list
    status         TEXT    NOT NULL CHECK (status IN ('uploading', 'processing', 'ready', 'failed')),
    visibility     TEXT    NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'private')),
    size_bytes     INTEGER NOT NULL,               -- the upload's announced length
    uploaded_bytes INTEGER NOT NULL DEFAULT 0,     -- acknowledged bytes (the resume offset)
    duration_ms    INTEGER,
    width          INTEGER,
    height         INTEGER,
    progress       INTEGER NOT NULL DEFAULT 0,     -- processing, percent
    error          TEXT,                           -- a reason code when failed
    has_poster     INTEGER NOT NULL DEFAULT 0,
    thumbs         TEXT,                           -- JSON: thumbnail strip layout
    storage_bytes  INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX videos_owner ON videos (owner_id, id DESC);

CREATE TABLE video_renditions (
    video_id  INTEGER NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    name      TEXT    NOT NULL,                    -- 360p, 720p, 1080p
    width     INTEGER NOT NULL,
    height    INTEGER NOT NULL,
    bitrate   INTEGER NOT NULL,                    -- bits per second
    mp4_bytes INTEGER NOT NULL,
    PRIMARY KEY (video_id, name)
) STRICT;

CREATE TABLE video_captions (
    video_id   INTEGER NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    lang       TEXT    NOT NULL,
    label      TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (video_id, lang)
) STRICT;

-- Where each signed-in viewer stopped.
CREATE TABLE video_positions (
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    video_id    INTEGER NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    position_ms INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, video_id)
) STRICT;
