ALTER TABLE policy_versions DROP COLUMN document_version_id;
DROP TABLE policy_reviews;
DROP TABLE policy_version_attachments;
DROP TABLE policy_document_versions;
DROP TABLE policy_document_roles;
DROP TABLE policy_document_units;
DROP TABLE policy_documents;
DROP TABLE policy_document_kinds;
