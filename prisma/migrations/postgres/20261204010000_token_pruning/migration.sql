-- Postgres only: a grant for the server's role (row-level security), nothing of the model.
-- The server deletes a user's expired, revoked and surplus tokens as it issues new ones (src/plaspy/tokens.ts).
-- Row-level security keeps those deletes inside the account, as it does every other statement.
GRANT DELETE ON plaspy_tokens TO tracker_users_app;
