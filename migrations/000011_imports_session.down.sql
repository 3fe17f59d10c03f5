ALTER TABLE imports DROP CONSTRAINT imports_session;
ALTER TABLE imports DROP COLUMN session_id;
