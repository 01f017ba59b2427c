-- Roles for the reporting database
CREATE ROLE reporting WITH LOGIN PASSWORD 'z8UL9Wl0VpOM0Y4W!'; -- expect: secret.generic-assignment
CREATE ROLE readonly WITH LOGIN PASSWORD NULL;
ALTER USER etl WITH ENCRYPTED PASSWORD '-xh0exuw8Y3Fnw#9'; -- expect: secret.generic-assignment
ALTER USER app WITH PASSWORD :'app_password';
COMMENT ON COLUMN users.password_hash IS 'bcrypt hash of the password';
CREATE TABLE api_tokens (id uuid PRIMARY KEY, token_hash text NOT NULL, created_at timestamptz DEFAULT now());
INSERT INTO settings (key, value) VALUES ('password_min_length', '12');
UPDATE users SET password = crypt('changeme', gen_salt('bf')) WHERE email = 'admin@example.com';
