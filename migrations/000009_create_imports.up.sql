-- Imports of the registers from spreadsheets (.xlsx, .csv). An upload is kept here from the
-- moment it is read until it is imported or abandoned, so that the steps in between (the mapping
-- of its columns, the check of every row, the preview) can take several requests and the check of
-- a large file can run in the background while its page shows the progress.
CREATE TABLE imports (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('assets', 'systems', 'people')),
    -- add: every row is a new record; update: a row changes the record of its number or code.
    mode         text NOT NULL DEFAULT 'add' CHECK (mode IN ('add', 'update')),
    file_name    text NOT NULL,
    format       text NOT NULL CHECK (format IN ('xlsx', 'csv')),
    encoding     text NOT NULL DEFAULT '',
    delimiter    text NOT NULL DEFAULT '',
    sheet        text NOT NULL DEFAULT '',
    -- The file itself, dropped once the import has ended.
    content      bytea,
    size_bytes   bigint NOT NULL,
    header_row   integer NOT NULL DEFAULT 0, -- 0-based row of the (last) header row
    header_rows  integer NOT NULL DEFAULT 1,
    names        text[] NOT NULL DEFAULT '{}', -- the file's column headers
    mapping      text[] NOT NULL DEFAULT '{}', -- per file column: the register field, or '' to ignore
    samples      jsonb NOT NULL DEFAULT '[]', -- the first data rows as read, shown beside the mapping
    -- uploaded: waiting for the mapping; checking / checked: rows read and checked (problems lists
    -- every bad row); importing / done: written in one transaction; failed: stopped (failure says why).
    status       text NOT NULL DEFAULT 'uploaded'
                 CHECK (status IN ('uploaded', 'checking', 'checked', 'importing', 'done', 'failed')),
    total_rows   integer NOT NULL DEFAULT 0,
    done_rows    integer NOT NULL DEFAULT 0,
    problems     jsonb NOT NULL DEFAULT '[]',
    preview      jsonb NOT NULL DEFAULT '[]', -- the first rows as they will be written, after the check
    imported     integer NOT NULL DEFAULT 0,
    failure      text NOT NULL DEFAULT '',
    created_by   bigint NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      integer NOT NULL DEFAULT 1
);
-- A person's own imports, newest first.
CREATE INDEX imports_created_by_idx ON imports (created_by, id DESC);
