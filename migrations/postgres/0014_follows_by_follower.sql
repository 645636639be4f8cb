-- "Following" lists: whom a person follows, newest first (followers use follows_followee).
CREATE INDEX follows_follower ON follows (follower_id, created_at);
