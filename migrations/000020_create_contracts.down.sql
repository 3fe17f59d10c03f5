DROP TABLE contract_incidents;
DROP TABLE contract_checks;
DROP TABLE contract_reports;
DROP TABLE contract_systems;
DROP TABLE contract_clauses;
DROP TABLE contracts;
DROP SEQUENCE contract_number_seq;
DROP TABLE contractors;
