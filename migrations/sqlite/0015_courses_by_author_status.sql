-- A tutor's published courses (the count on their profile): without it SQLite's planner took
-- courses_queue (status) and read every published course, 20 ms at 20k courses (issue 13).
CREATE INDEX courses_author_status ON courses (author_id, status);
