-- Identity: what the admin list filters and searches on, fast at millions of accounts.
ALTER TABLE accounts ADD COLUMN search_text text GENERATED ALWAYS AS (
    kapi_fold(coalesce(email, '') || ' ' || coalesce(username, '') || ' ' || coalesce(name, '') || ' '
              || coalesce(surname, '') || ' ' || coalesce(full_name, ''))) STORED;
CREATE INDEX accounts_search_trgm_idx ON accounts USING gin (search_text gin_trgm_ops);
DROP INDEX accounts_user_type_idx;
CREATE INDEX accounts_user_type_id_idx ON accounts (user_type_id, id);
