ALTER TABLE imports DROP CONSTRAINT imports_rotation;
ALTER TABLE imports DROP COLUMN rotation_id;
DELETE FROM imports WHERE kind = 'rotation';
ALTER TABLE imports DROP CONSTRAINT imports_kind_check;
ALTER TABLE imports ADD CONSTRAINT imports_kind_check CHECK (kind IN ('assets', 'systems', 'people', 'attendance'));
