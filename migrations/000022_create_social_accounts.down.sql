DROP TABLE social_account_checks;
DROP TABLE social_account_operators;
DROP TABLE social_account_owners;
DROP TABLE social_accounts;
DROP SEQUENCE social_account_numbers;
