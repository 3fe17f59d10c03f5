DROP TABLE external_service_reviews;
DROP TABLE external_service_decisions;
DROP TABLE external_services;
DROP SEQUENCE external_service_number_seq;
