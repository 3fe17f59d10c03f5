DROP INDEX IF EXISTS attendances_completed_idx;
