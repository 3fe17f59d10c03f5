DELETE FROM settings WHERE key = 'auth.mfa_roles';
DROP TABLE login_throttle;
DROP TABLE recovery_codes;
DROP TABLE users;
DROP TABLE units;
