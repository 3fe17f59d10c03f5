DROP TABLE rotation_lines;
DROP TABLE rotations;
DROP TABLE role_assignments;
DROP TABLE security_roles;
DROP TABLE postings;
DROP TABLE people;
ALTER TABLE units
    DROP COLUMN successor_id,
    DROP COLUMN valid_to,
    DROP COLUMN valid_from,
    DROP COLUMN in_scope,
    DROP COLUMN unit_type,
    DROP CONSTRAINT IF EXISTS units_not_own_parent;
