-- The dashboards count a register of any size at once: asset_tallies holds the number of assets
-- not disposed per unit, confidentiality level, zone and whether they are flagged (a rule
-- warning or 再分類要確認); asset_review_tallies the same per unit and review date, so that the
-- overdue reviews of a day are a sum over a few hundred rows per unit. Both follow the assets
-- table by statement triggers: an import of 100,000 rows changes each tally once. A count can
-- reach 0 and stays as a row (a later asset reuses it).
CREATE TABLE asset_tallies (
    unit_id         bigint NOT NULL REFERENCES units (id),
    confidentiality text NOT NULL, -- '' when not classified
    zone            text NOT NULL, -- '' when none
    flagged         boolean NOT NULL,
    n               bigint NOT NULL,
    PRIMARY KEY (unit_id, confidentiality, zone, flagged)
);

CREATE TABLE asset_review_tallies (
    unit_id    bigint NOT NULL REFERENCES units (id),
    review_due date NOT NULL,
    n          bigint NOT NULL,
    PRIMARY KEY (unit_id, review_due)
);

-- asset_tally_statements are the statements that add the rows of the query src (assets' columns
-- and k, +1 or -1 per row) to both tallies, in key order so that concurrent statements lock rows
-- in the same order. The trigger runs them itself: a transition table is seen only there.
CREATE FUNCTION asset_tally_statements(src text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE AS $$
    VALUES (format($q$
        INSERT INTO asset_tallies AS t (unit_id, confidentiality, zone, flagged, n)
        SELECT unit_id, coalesce(confidentiality, ''), coalesce(zone, ''), warnings <> '{}' OR reclassify, sum(k)
        FROM (%s) d WHERE status <> 'disposed'
        GROUP BY 1, 2, 3, 4 HAVING sum(k) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (unit_id, confidentiality, zone, flagged) DO UPDATE SET n = t.n + excluded.n$q$, src)),
    (format($q$
        INSERT INTO asset_review_tallies AS t (unit_id, review_due, n)
        SELECT unit_id, review_due, sum(k)
        FROM (%s) d WHERE status <> 'disposed'
        GROUP BY 1, 2 HAVING sum(k) <> 0 ORDER BY 1, 2
        ON CONFLICT (unit_id, review_due) DO UPDATE SET n = t.n + excluded.n$q$, src))
$$;

CREATE FUNCTION assets_tally() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    q text;
BEGIN
    FOR q IN SELECT asset_tally_statements(CASE TG_OP
        WHEN 'INSERT' THEN 'SELECT *, 1 AS k FROM new_rows'
        WHEN 'DELETE' THEN 'SELECT *, -1 AS k FROM old_rows'
        ELSE 'SELECT *, 1 AS k FROM new_rows UNION ALL SELECT *, -1 FROM old_rows' END)
    LOOP
        EXECUTE q;
    END LOOP;
    RETURN NULL;
END
$$;
CREATE TRIGGER assets_tally_insert AFTER INSERT ON assets
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assets_tally();
CREATE TRIGGER assets_tally_update AFTER UPDATE ON assets
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assets_tally();
CREATE TRIGGER assets_tally_delete AFTER DELETE ON assets
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION assets_tally();

CREATE FUNCTION assets_tally_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM asset_tallies;
    DELETE FROM asset_review_tallies;
    RETURN NULL;
END
$$;
CREATE TRIGGER assets_tally_truncate AFTER TRUNCATE ON assets
    FOR EACH STATEMENT EXECUTE FUNCTION assets_tally_truncate();

-- The register as it is.
DO $$
DECLARE
    q text;
BEGIN
    FOR q IN SELECT asset_tally_statements('SELECT *, 1 AS k FROM assets') LOOP
        EXECUTE q;
    END LOOP;
END
$$;
