-- Who is due reads, for each person and fiscal year, which courses their completions meet and
-- the day of the latest drill they clicked in, from a summary the database keeps in step with
-- attendances, sessions, people's dates of service and the catalogue: folding the attendances
-- per person on every read of the town's status cost more than the rest of that statement.

-- The fiscal year (4月–3月) a day falls in, as isms.FiscalYearOf.
CREATE FUNCTION fiscal_year_of(d date) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN extract(year FROM d - interval '3 months')::integer;

-- Each active course's bit in the completion masks: one bit per active course in catalogue order,
-- as the who-is-due statements number them (more than 64 active courses have no bit; the store
-- refuses such a catalogue).
CREATE VIEW training_course_bits AS
SELECT code, CASE WHEN n <= 64 THEN 1::bigint << (n - 1)::integer ELSE 0 END AS bit
FROM (SELECT code, row_number() OVER (ORDER BY sort_order, code) AS n FROM courses WHERE active) c;

-- The summary: met is the mask (training_course_bits) of the active courses whose requirement
-- the person's completions meet for the fiscal year (yearly: completed within the year;
-- on_joining: on or after the start of service; per_contract: within the period of service;
-- after_drill: on or after the latest drill clicked in the year, or its first day without one);
-- drill_on is the day of the latest drill held in the year in which they clicked. A person has a
-- row for each year with a completion or a click of theirs: where there is none, no yearly course
-- is met and the statements read the others from attendances.
CREATE TABLE training_person_years (
    person_id   bigint NOT NULL,
    fiscal_year integer NOT NULL,
    met         bigint NOT NULL,
    drill_on    date,
    PRIMARY KEY (person_id, fiscal_year)
);
-- The town's status reads a whole year without visiting the table.
CREATE INDEX training_person_years_year_idx ON training_person_years (fiscal_year, person_id) INCLUDE (met, drill_on);

-- training_person_years_of is the summary of the given people as their attendances, sessions,
-- dates of service and the catalogue now stand.
CREATE FUNCTION training_person_years_of(persons bigint[])
RETURNS TABLE (person_id bigint, fiscal_year integer, met bigint, drill_on date)
LANGUAGE sql STABLE AS $$
    SELECT y.person_id, y.fiscal_year,
        coalesce(bit_or(c.bit) FILTER (WHERE CASE c.requirement
            WHEN 'yearly' THEN fiscal_year_of(c.completed_on) = y.fiscal_year
            WHEN 'after_drill' THEN c.completed_on >= coalesce(y.drill_on, make_date(y.fiscal_year, 4, 1))
            WHEN 'per_contract' THEN c.completed_on >= p.valid_from AND (p.valid_to IS NULL OR c.completed_on <= p.valid_to)
            ELSE c.completed_on >= p.valid_from END), 0),
        y.drill_on
    FROM (
        SELECT f.person_id, f.fiscal_year, max(f.drill_on) AS drill_on
        FROM (
            SELECT a.person_id, fiscal_year_of(a.completed_on) AS fiscal_year, NULL::date AS drill_on
            FROM attendances a
            WHERE a.completed AND a.person_id = ANY (persons)
            UNION ALL
            SELECT a.person_id, fiscal_year_of(s.held_on), s.held_on
            FROM attendances a
            JOIN training_sessions s ON s.id = a.session_id
            JOIN courses co ON co.code = s.course_code AND co.kind = 'drill'
            WHERE a.clicked AND a.person_id = ANY (persons)) f
        GROUP BY f.person_id, f.fiscal_year) y
    JOIN people p ON p.id = y.person_id
    LEFT JOIN (
        SELECT a.person_id, a.completed_on, b.bit, co.requirement
        FROM attendances a
        JOIN training_sessions s ON s.id = a.session_id
        JOIN courses co ON co.code = s.course_code
        JOIN training_course_bits b ON b.code = co.code
        WHERE a.completed AND a.person_id = ANY (persons)) c ON c.person_id = y.person_id
    GROUP BY y.person_id, y.fiscal_year, y.drill_on
$$;

-- training_dated_met is, for a person without a row for fiscal year fy (no completion or click of
-- theirs in it), the mask of the active courses due on joining, per contract or after a drill
-- that their completions meet: having clicked in no drill that year, a follow-up counts from its
-- first day. The statements call it for the few such people who must take one of those courses.
CREATE FUNCTION training_dated_met(person bigint, fy integer) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT coalesce(bit_or(b.bit), 0)
    FROM attendances a
    JOIN people p ON p.id = a.person_id
    JOIN training_sessions s ON s.id = a.session_id
    JOIN courses co ON co.code = s.course_code
    JOIN training_course_bits b ON b.code = co.code
    WHERE a.person_id = person AND a.completed AND CASE co.requirement
        WHEN 'after_drill' THEN a.completed_on >= make_date(fy, 4, 1)
        WHEN 'per_contract' THEN a.completed_on >= p.valid_from AND (p.valid_to IS NULL OR a.completed_on <= p.valid_to)
        WHEN 'on_joining' THEN a.completed_on >= p.valid_from
        ELSE false END
$$;

-- training_summary_refresh computes again every year of the given people. Concurrent writers of
-- the same people wait for each other (a lock on their rows in people) and a rebuild waits for
-- them (the table lock), so each computes from what the others committed.
CREATE FUNCTION training_summary_refresh(persons bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(persons) = 0 THEN
        RETURN;
    END IF;
    LOCK TABLE training_person_years IN ROW EXCLUSIVE MODE;
    PERFORM 1 FROM people WHERE id = ANY (persons) ORDER BY id FOR NO KEY UPDATE;
    DELETE FROM training_person_years WHERE person_id = ANY (persons);
    INSERT INTO training_person_years (person_id, fiscal_year, met, drill_on)
    SELECT * FROM training_person_years_of(persons);
END
$$;

-- training_summary_rebuild computes the whole summary again: after a change of the catalogue
-- that moves the bits or changes what meets a course.
CREATE FUNCTION training_summary_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE training_person_years IN EXCLUSIVE MODE;
    DELETE FROM training_person_years;
    INSERT INTO training_person_years (person_id, fiscal_year, met, drill_on)
    SELECT * FROM training_person_years_of(ARRAY(SELECT DISTINCT person_id FROM attendances));
END
$$;

-- Attendances: the people whose rows came, went, or changed in what the summary reads. A whole
-- statement at a time, so that a COPY or an import is one refresh.
CREATE FUNCTION attendances_summary() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM training_summary_refresh(ARRAY(SELECT DISTINCT person_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM training_summary_refresh(ARRAY(SELECT DISTINCT person_id FROM old_rows));
    ELSE
        PERFORM training_summary_refresh(ARRAY(
            SELECT n.person_id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.session_id, n.person_id, n.completed, n.completed_on, n.clicked)
                IS DISTINCT FROM (o.session_id, o.person_id, o.completed, o.completed_on, o.clicked)
            UNION
            SELECT o.person_id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.session_id, n.person_id, n.completed, n.completed_on, n.clicked)
                IS DISTINCT FROM (o.session_id, o.person_id, o.completed, o.completed_on, o.clicked)));
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER attendances_summary_insert AFTER INSERT ON attendances
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attendances_summary();
CREATE TRIGGER attendances_summary_update AFTER UPDATE ON attendances
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attendances_summary();
-- A session's deletion removes its attendances through the cascade, which fires this one.
CREATE TRIGGER attendances_summary_delete AFTER DELETE ON attendances
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attendances_summary();

CREATE FUNCTION attendances_summary_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM training_person_years;
    RETURN NULL;
END
$$;
CREATE TRIGGER attendances_summary_truncate AFTER TRUNCATE ON attendances
    FOR EACH STATEMENT EXECUTE FUNCTION attendances_summary_truncate();

-- Sessions: a new day moves the clicks of a drill to another year; a new course changes the bit
-- of every completion.
CREATE FUNCTION training_sessions_summary() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM training_summary_refresh(ARRAY(
        SELECT DISTINCT a.person_id
        FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN attendances a ON a.session_id = n.id
        WHERE (n.held_on, n.course_code) IS DISTINCT FROM (o.held_on, o.course_code)));
    RETURN NULL;
END
$$;
CREATE TRIGGER training_sessions_summary AFTER UPDATE ON training_sessions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION training_sessions_summary();

-- People: the dates of service decide what meets the courses due on joining and per contract.
CREATE FUNCTION people_summary() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM training_summary_refresh(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.valid_from, n.valid_to) IS DISTINCT FROM (o.valid_from, o.valid_to)
            AND EXISTS (SELECT FROM training_person_years y WHERE y.person_id = n.id)));
    RETURN NULL;
END
$$;
CREATE TRIGGER people_summary AFTER UPDATE ON people
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION people_summary();

-- The catalogue: a course made active or inactive, added active, removed, or moved in the order
-- renumbers the bits; a change of kind makes a course's clicks count or not, one of requirement
-- changes what meets it.
CREATE FUNCTION courses_summary() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed boolean;
BEGIN
    -- Each transition table is named in its own branch: the others do not exist here.
    IF TG_OP = 'INSERT' THEN
        changed := EXISTS (SELECT FROM new_rows WHERE active);
    ELSIF TG_OP = 'DELETE' THEN
        changed := EXISTS (SELECT FROM old_rows WHERE active OR kind = 'drill');
    ELSE
        changed := EXISTS (
            SELECT FROM new_rows n FULL JOIN old_rows o ON o.code = n.code
            WHERE n.code IS NULL OR o.code IS NULL OR n.kind <> o.kind OR n.active <> o.active
                OR n.requirement <> o.requirement OR n.active AND n.sort_order <> o.sort_order);
    END IF;
    IF changed THEN
        PERFORM training_summary_rebuild();
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER courses_summary_insert AFTER INSERT ON courses
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION courses_summary();
CREATE TRIGGER courses_summary_update AFTER UPDATE ON courses
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION courses_summary();
CREATE TRIGGER courses_summary_delete AFTER DELETE ON courses
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION courses_summary();

SELECT training_summary_rebuild();
