-- Accounts made by `tutorium demo` are marked, so that a site holding them says it is a demo
-- (they share a published password) and they can never pass for real accounts.
ALTER TABLE users ADD COLUMN demo BIGINT NOT NULL DEFAULT 0;
CREATE INDEX users_demo ON users (demo) WHERE demo = 1;
