-- A rotation list (異動一覧) from personnel is imported as lines of one draft personnel rotation:
-- the import is started from the rotation's page and keeps the rotation it goes into. Other
-- kinds have none. An import is working data: it goes with its rotation.
ALTER TABLE imports DROP CONSTRAINT imports_kind_check;
ALTER TABLE imports ADD CONSTRAINT imports_kind_check
    CHECK (kind IN ('assets', 'systems', 'people', 'attendance', 'rotation'));
ALTER TABLE imports ADD COLUMN rotation_id bigint REFERENCES rotations (id) ON DELETE CASCADE;
ALTER TABLE imports ADD CONSTRAINT imports_rotation CHECK ((kind = 'rotation') = (rotation_id IS NOT NULL));
