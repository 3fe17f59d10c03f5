DROP TABLE inspection_answers;
DROP TABLE inspection_sheets;
DROP TABLE inspection_campaign_units;
DROP TABLE inspection_campaigns;
DROP TABLE inspection_items;
DROP TABLE inspection_checklists;
