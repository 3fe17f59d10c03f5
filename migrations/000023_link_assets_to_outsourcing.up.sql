-- An asset's 委託先・外部サービス (domain.md §3.3 outsourced_to) becomes a link to one record of the
-- registers of basic policy §6(8): an outsourcing contract, an external service or a social
-- media account, at most one. Each is a foreign key, so a link always names a record.
ALTER TABLE assets
    ADD COLUMN contract_id         bigint REFERENCES contracts (id),
    ADD COLUMN external_service_id bigint REFERENCES external_services (id),
    ADD COLUMN social_account_id   bigint REFERENCES social_accounts (id),
    ADD CONSTRAINT assets_outsourced_to CHECK (num_nonnulls(contract_id, external_service_id, social_account_id) <= 1);

-- What was typed in the free-text column becomes a contractor (one per distinct name) and, for each
-- unit that named it, a contract of that unit with it, which its assets then name. The contracts
-- start with none of the 13 clauses confirmed, so the security office's list of contracts that
-- need action shows every one of them until the unit completes the record. The period is not
-- known: it runs from the earliest classification of the assets naming it to the end of this
-- fiscal year, for the unit to correct.
WITH typed AS (
    SELECT unit_id, btrim(contractor) AS name, min(classified_at) AS since
    FROM assets WHERE btrim(contractor) <> '' GROUP BY 1, 2),
firms AS (
    INSERT INTO contractors (name, notes)
    SELECT DISTINCT name, '情報資産管理台帳の「委託先」欄から移行' FROM typed
    RETURNING id, name),
made AS (
    INSERT INTO contracts (contractor_id, unit_id, title, period_from, period_to)
    SELECT f.id, t.unit_id, '（台帳から移行）' || t.name, least(t.since, current_date),
        make_date(extract(year FROM current_date - interval '3 months')::int + 1, 3, 31)
    FROM typed t JOIN firms f USING (name)
    RETURNING id, contractor_id, unit_id)
UPDATE assets a SET contract_id = m.id
FROM made m JOIN firms f ON f.id = m.contractor_id
WHERE a.unit_id = m.unit_id AND btrim(a.contractor) = f.name;

ALTER TABLE assets DROP COLUMN contractor;

-- A record's page lists the assets that name it.
CREATE INDEX assets_contract_idx ON assets (contract_id) WHERE contract_id IS NOT NULL;
CREATE INDEX assets_external_service_idx ON assets (external_service_id) WHERE external_service_id IS NOT NULL;
CREATE INDEX assets_social_account_idx ON assets (social_account_id) WHERE social_account_id IS NOT NULL;
