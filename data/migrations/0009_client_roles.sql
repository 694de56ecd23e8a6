-- Roles for API clients (the REST API; docs/api.md has the role table). Existing clients are Thrift
-- integrations and keep working unchanged: role 'integration', no org unit. org_unit scopes what the
-- client sees ('' = the whole hierarchy, for national and integration clients); officer ties an
-- officer's token to its certificate number; expires_at ('' = never) is compared with the server clock.
ALTER TABLE api_clients ADD COLUMN role TEXT NOT NULL DEFAULT 'integration';
ALTER TABLE api_clients ADD COLUMN org_unit TEXT NOT NULL DEFAULT '';
ALTER TABLE api_clients ADD COLUMN officer TEXT NOT NULL DEFAULT '';
ALTER TABLE api_clients ADD COLUMN expires_at TEXT NOT NULL DEFAULT '';
