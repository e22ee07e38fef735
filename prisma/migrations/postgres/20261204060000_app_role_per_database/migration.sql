-- Postgres only (hand-written; SQLite has no roles): the server's role belongs to this database and schema, not to
-- the whole cluster. Until now every deployment granted its tables to one cluster-wide role, tracker_users_app, so
-- the server login of one deployment could write another's users on the same cluster. The role is now the one
-- `tracker-users migrate --app-role NAME` (or DATABASE_APP_ROLE) names, else tracker_users_<database>_<schema>
-- (a hash of the two past 63 bytes). tracker_users_app_role() answers its name, for later migrations and for the
-- deployer; tracker_users_app keeps nothing here. Made here if missing, which needs CREATEROLE (or a DBA first).
DO $$
DECLARE
  readable TEXT := format('tracker_users_%s_%s', current_database(), current_schema());
  app_role TEXT := coalesce(nullif(current_setting('tracker_users.app_role', true), ''),
    CASE WHEN octet_length(readable) <= 63 THEN readable ELSE 'tracker_users_' || left(md5(current_database() || '.' || current_schema()), 16) END);
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = app_role) THEN
    BEGIN
      EXECUTE format('CREATE ROLE %I NOLOGIN', app_role);
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- another migration made it at the same moment
    END;
  END IF;
  EXECUTE format('CREATE FUNCTION tracker_users_app_role() RETURNS TEXT LANGUAGE sql IMMUTABLE AS %L', format('SELECT %L::text', app_role));

  -- What the server does, and no more (as *_row_level_security and *_token_pruning granted it).
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), app_role);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE ON roam_users, roam_groups TO %I', app_role);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON plaspy_users TO %I', app_role);
  EXECUTE format('GRANT SELECT, INSERT, DELETE ON plaspy_tokens TO %I', app_role);
  EXECUTE format('GRANT SELECT ON plaspy_api_keys TO %I', app_role);
  EXECUTE format('GRANT EXECUTE ON FUNCTION roam_key_principal(TEXT), plaspy_api_key_account(TEXT), '
    'plaspy_count_token_request(TEXT, TIMESTAMP(3), TEXT) TO %I', app_role);
  IF to_regclass('_prisma_migrations') IS NOT NULL THEN
    EXECUTE format('GRANT SELECT ON _prisma_migrations TO %I', app_role);
  END IF;

  -- The shared role loses what it had here: every deployment's server login was a member of it.
  IF app_role <> 'tracker_users_app' AND EXISTS (SELECT FROM pg_roles WHERE rolname = 'tracker_users_app') THEN
    REVOKE ALL ON roam_users, roam_groups, plaspy_users, plaspy_tokens, plaspy_api_keys FROM tracker_users_app;
    REVOKE ALL ON FUNCTION roam_key_principal(TEXT), plaspy_api_key_account(TEXT),
      plaspy_count_token_request(TEXT, TIMESTAMP(3), TEXT) FROM tracker_users_app;
    IF to_regclass('_prisma_migrations') IS NOT NULL THEN
      REVOKE ALL ON _prisma_migrations FROM tracker_users_app;
    END IF;
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM tracker_users_app', current_schema());
  END IF;
END $$;
