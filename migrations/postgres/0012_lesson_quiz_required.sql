-- A lesson whose quiz must be passed to complete it (the quiz's "required" setting, written by
-- quizzes when the quiz is saved or deleted): marking it complete by hand is refused, passing
-- the quiz completes it.
ALTER TABLE lessons ADD COLUMN quiz_required BIGINT NOT NULL DEFAULT 0;
