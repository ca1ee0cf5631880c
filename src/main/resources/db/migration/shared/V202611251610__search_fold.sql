-- Case- and accent-insensitive search the Turkish way, in one place for every module: 'İstanbul',
-- 'ISTANBUL' and 'istanbul' fold to the same text. Trigram indexes make LIKE '%term%' fast on it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION kapi_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT lower(translate($1, 'İIıŞşĞğÜüÖöÇçÂâÎîÛû', 'iiissgguuooccaaiiuu')) $$;
