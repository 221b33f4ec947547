-- Indexes the live queries need beyond 0003, chosen by EXPLAIN ANALYZE on the full demo (docs/live-queries.md).

-- FindUsers folds only ASCII A–Z (translate, not lower) and compares bytes, as
-- starts_with(translate(name, …), translate($prefix, …)). With the expression indexed in the "C" collation,
-- PostgreSQL turns starts_with into a byte range scan: 2.5 ms instead of a 200 ms scan of 50k names.
CREATE INDEX IF NOT EXISTS users_name_ascii_folded
    ON public.users ((translate(name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') COLLATE "C"));
