-- Back to the free-text column: each linked asset keeps the name of what it named.
ALTER TABLE assets ADD COLUMN contractor text NOT NULL DEFAULT '';
UPDATE assets a SET contractor = coalesce(
    (SELECT f.name FROM contracts k JOIN contractors f ON f.id = k.contractor_id WHERE k.id = a.contract_id),
    (SELECT s.name FROM external_services s WHERE s.id = a.external_service_id),
    (SELECT m.account_name FROM social_accounts m WHERE m.id = a.social_account_id), '')
WHERE num_nonnulls(contract_id, external_service_id, social_account_id) > 0;
ALTER TABLE assets DROP CONSTRAINT assets_outsourced_to,
    DROP COLUMN contract_id, DROP COLUMN external_service_id, DROP COLUMN social_account_id;
