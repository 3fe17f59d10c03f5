-- Who is due (the status of a fiscal year per unit and course) reads the completions of the year
-- as one index range: the day completed, with the session and the person alongside so that the
-- table itself is not visited.
CREATE INDEX attendances_completed_idx ON attendances (completed_on) INCLUDE (session_id, person_id) WHERE completed;
