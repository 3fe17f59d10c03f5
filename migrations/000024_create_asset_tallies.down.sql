DROP TRIGGER assets_tally_truncate ON assets;
DROP TRIGGER assets_tally_delete ON assets;
DROP TRIGGER assets_tally_update ON assets;
DROP TRIGGER assets_tally_insert ON assets;
DROP FUNCTION assets_tally_truncate();
DROP FUNCTION assets_tally();
DROP FUNCTION asset_tally_statements(text);
DROP TABLE asset_review_tallies;
DROP TABLE asset_tallies;
