-- The uuid-id fixture: accounts under many-to-many links (an enum attribute, a closed region, a boolean and a
-- smallint), orders in the America/New_York day across the start of daylight saving time (2026-03-08), a numeric
-- total summed at scale 1, and each account's opening date as a second event source on the nodes table itself.
-- Ids are UUIDs and order by bytes, not by label.
--
--   7a… Acme Holdings (enterprise, us-east)
--   ├── 2e… Acme East (pro, us-east)
--   │   ├── b0… Boston Office (pro, us-east)
--   │   └── 05… Shared Services (free, eu)          ← also under Acme West: a shared descendant
--   ├── c3… Acme West (pro, us-west)
--   │   ├── 05… Shared Services
--   │   └── f0… Seattle Office (free, no region)
--   └── e0… Echo Labs (free, eu)                      ← an edge to itself: a cycle group of one
--   0a… Orbit A ⇄ 0b… Orbit B                        (a cycle)
--   99… Bulk Root
--   └── 20,000 generated accounts "Bulk 00001"…, 40 children each, a few second parents and a loop 12 → 499 → 20000 → 12
--   7a… → d0…: a link to an account that does not exist (ignored)
CREATE TYPE tier AS ENUM ('free', 'pro', 'enterprise');
CREATE TABLE regions (code text PRIMARY KEY);
INSERT INTO regions VALUES ('us-east'), ('us-west'), ('eu');

CREATE TABLE accounts (
    id uuid PRIMARY KEY, name text, tier tier, region text, verified boolean, seats smallint, opened_on date);
INSERT INTO accounts VALUES
    ('7a000000-0000-4000-8000-000000000001', 'Acme Holdings', 'enterprise', 'us-east', true, 500, '2020-01-15'),
    ('2e000000-0000-4000-8000-000000000002', 'Acme East', 'pro', 'us-east', true, 120, '2021-06-01'),
    ('c3000000-0000-4000-8000-000000000003', 'Acme West', 'pro', 'us-west', false, 80, '2021-06-01'),
    ('b0000000-0000-4000-8000-000000000004', 'Boston Office', 'pro', 'us-east', true, 40, '2022-02-28'),
    ('05000000-0000-4000-8000-000000000005', 'Shared Services', 'free', 'eu', NULL, 12, NULL),
    ('f0000000-0000-4000-8000-000000000006', 'Seattle Office', 'free', NULL, true, NULL, '2023-11-05'),
    ('e0000000-0000-4000-8000-000000000007', 'Echo Labs', 'free', 'eu', false, 3, '2024-02-29'),
    ('0a000000-0000-4000-8000-000000000008', 'Orbit A', 'pro', 'eu', true, 7, '2025-01-01'),
    ('0b000000-0000-4000-8000-000000000009', 'Orbit B', NULL, 'eu', true, 9, '2025-01-01'),
    ('99999999-0000-4000-8000-000000000000', 'Bulk Root', 'enterprise', 'us-west', true, 1000, '2019-12-31');

-- Bulk account i: id md5('bulk-' || i), parent (i - 1) / 40 (0 is Bulk Root).
CREATE FUNCTION bulk_id(i integer) RETURNS uuid LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE WHEN i = 0 THEN '99999999-0000-4000-8000-000000000000'::uuid ELSE md5('bulk-' || i)::uuid END $$;
INSERT INTO accounts
SELECT bulk_id(i), 'Bulk ' || lpad(i::text, 5, '0'), (ARRAY['free', 'pro', 'enterprise']::tier[])[i % 3 + 1],
    CASE WHEN i % 11 = 0 THEN NULL ELSE (ARRAY['us-east', 'us-west', 'eu'])[abs(hashint4(-i)) % 3 + 1] END,
    i % 2 = 0, (i % 7)::smallint, DATE '2024-01-01' + i % 400
FROM generate_series(1, 20000) AS i;

CREATE TABLE account_links (parent_id uuid, child_id uuid);
INSERT INTO account_links VALUES
    ('7a000000-0000-4000-8000-000000000001', '2e000000-0000-4000-8000-000000000002'),
    ('7a000000-0000-4000-8000-000000000001', 'c3000000-0000-4000-8000-000000000003'),
    ('7a000000-0000-4000-8000-000000000001', 'e0000000-0000-4000-8000-000000000007'),
    ('7a000000-0000-4000-8000-000000000001', 'd0000000-0000-4000-8000-00000000dead'),
    ('2e000000-0000-4000-8000-000000000002', 'b0000000-0000-4000-8000-000000000004'),
    ('2e000000-0000-4000-8000-000000000002', '05000000-0000-4000-8000-000000000005'),
    ('c3000000-0000-4000-8000-000000000003', '05000000-0000-4000-8000-000000000005'),
    ('c3000000-0000-4000-8000-000000000003', 'f0000000-0000-4000-8000-000000000006'),
    ('e0000000-0000-4000-8000-000000000007', 'e0000000-0000-4000-8000-000000000007'),
    ('0a000000-0000-4000-8000-000000000008', '0b000000-0000-4000-8000-000000000009'),
    ('0b000000-0000-4000-8000-000000000009', '0a000000-0000-4000-8000-000000000008');
INSERT INTO account_links SELECT bulk_id((i - 1) / 40), bulk_id(i) FROM generate_series(1, 20000) AS i;
INSERT INTO account_links SELECT bulk_id(i / 500), bulk_id(i) FROM generate_series(1, 20000) AS i WHERE i % 500 = 7;
INSERT INTO account_links VALUES (bulk_id(20000), bulk_id(12));

-- Times are UTC; the model's day is America/New_York (UTC-5, UTC-4 from 2026-03-08 02:00 local).
CREATE TABLE orders (
    id serial PRIMARY KEY, account_id uuid, placed_at timestamptz, channel text, status text, units integer,
    total numeric(12, 3));
INSERT INTO orders (account_id, placed_at, channel, status, units, total) VALUES
    ('7a000000-0000-4000-8000-000000000001', '2026-03-07T15:00:00Z', 'web', 'paid', 10, 100.000),
    ('2e000000-0000-4000-8000-000000000002', '2026-03-08T04:30:00Z', 'app', 'paid', 3, 2.250),      -- 03-07 23:30 EST
    ('b0000000-0000-4000-8000-000000000004', '2026-03-09T04:30:00Z', 'app', 'paid', 5, 19.990),     -- 03-09 00:30 EDT
    ('b0000000-0000-4000-8000-000000000004', '2026-03-09T03:30:00Z', 'web', 'refunded', -2, -2.250), -- 03-08 23:30 EDT
    ('05000000-0000-4000-8000-000000000005', '2026-03-10T12:00:00Z', 'app', 'paid', NULL, 7.000),
    ('05000000-0000-4000-8000-000000000005', '2026-03-14T12:00:00Z', NULL, 'paid', 2, 3.000),
    ('f0000000-0000-4000-8000-000000000006', '2026-03-12T18:00:00Z', 'web', 'pending', 1, NULL),
    ('e0000000-0000-4000-8000-000000000007', '2026-03-01T12:00:00Z', 'app', 'paid', 4, 0.049),
    ('0b000000-0000-4000-8000-000000000009', '2026-03-02T12:00:00Z', 'app', 'paid', 1, 1.000),
    ('d0000000-0000-4000-8000-00000000dead', '2026-03-05T12:00:00Z', 'app', 'paid', 1, 1000.000),
    ('7a000000-0000-4000-8000-000000000001', NULL, 'app', 'paid', 1, 1000.000);
INSERT INTO orders (account_id, placed_at, channel, status, units, total)
SELECT bulk_id(i), TIMESTAMPTZ '2026-02-01T00:00:00Z' + (i % 37) * INTERVAL '1 day' + (i % 24) * INTERVAL '1 hour',
    (ARRAY['app', 'web', NULL])[abs(hashint4(i)) % 3 + 1], CASE WHEN i % 10 = 0 THEN 'refunded' ELSE 'paid' END,
    CASE WHEN i % 13 = 0 THEN NULL ELSE i % 9 END,
    CASE WHEN i % 10 = 0 THEN -1 ELSE 1 END * (i % 1000) / 8.0
FROM generate_series(1, 20000) AS i WHERE i % 4 = 0;
