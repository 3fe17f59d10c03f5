-- An attendance list (受講記録) from an e-learning system is imported into one training session:
-- the import is started from the session's page and keeps the session it goes into. Other
-- registers' imports have none. An import is working data: it goes with its session.
ALTER TABLE imports ADD COLUMN session_id bigint REFERENCES training_sessions (id) ON DELETE CASCADE;
ALTER TABLE imports ADD CONSTRAINT imports_session CHECK ((kind = 'attendance') = (session_id IS NOT NULL));
