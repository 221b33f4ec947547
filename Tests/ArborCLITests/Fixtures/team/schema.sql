-- The text-id fixture: a small team under many-to-many reporting lines, with sales (numeric amounts, a time zone
-- that moves the day) and visits (dates). Ids are handles, labels are names.
--
--   raj  Raj Kumar (RM, north)
--   ├── asha.c  Asha Devi (CPOC, north)           ← two nodes labelled "Asha Devi": an ambiguous label
--   │   ├── sunil  Sunil Verma (DPOC, inactive)
--   │   │   └── priya  Priya Singh (VOLUNTEER, no region, no grade)
--   │   └── meena  Meena Kumari (VOLUNTEER)
--   └── asha.d  Asha Devi (DPOC, south)
--       ├── meena                                  (a second manager)
--       └── ravi  Ravi Shankar (VOLUNTEER, south)
--           └── loop.1  Loop One ⇄ loop.2  Loop Two  (a cycle)
--   lone  Lone Wolf (DPOC, west)
--   └── kumar  Raj (VOLUNTEER)                     ← label "Raj", a prefix of "Raj Kumar"
--   raj → ghost: an edge to a node that does not exist (ignored)
CREATE TABLE roles (name text PRIMARY KEY);
INSERT INTO roles VALUES ('RM'), ('CPOC'), ('DPOC'), ('VOLUNTEER');

CREATE TABLE people (
    handle text PRIMARY KEY, full_name text, role text, region text, active boolean, grade integer);
INSERT INTO people VALUES
    ('raj', 'Raj Kumar', 'RM', 'north', true, 1),
    ('asha.c', 'Asha Devi', 'CPOC', 'north', true, 2),
    ('asha.d', 'Asha Devi', 'DPOC', 'south', true, 2),
    ('sunil', 'Sunil Verma', 'DPOC', 'north', false, 3),
    ('meena', 'Meena Kumari', 'VOLUNTEER', 'north', true, 4),
    ('ravi', 'Ravi Shankar', 'VOLUNTEER', 'south', true, 4),
    ('priya', 'Priya Singh', 'VOLUNTEER', NULL, true, NULL),
    ('loop.1', 'Loop One', 'VOLUNTEER', 'east', true, 5),
    ('loop.2', 'Loop Two', 'VOLUNTEER', 'east', false, 5),
    ('lone', 'Lone Wolf', 'DPOC', 'west', true, 1),
    ('kumar', 'Raj', 'VOLUNTEER', 'west', true, 10);

CREATE TABLE reports_to (manager text, member text);
INSERT INTO reports_to VALUES
    ('raj', 'asha.c'), ('raj', 'asha.d'), ('raj', 'ghost'),
    ('asha.c', 'sunil'), ('asha.c', 'meena'),
    ('asha.d', 'meena'), ('asha.d', 'ravi'),
    ('sunil', 'priya'),
    ('ravi', 'loop.1'), ('loop.1', 'loop.2'), ('loop.2', 'loop.1'),
    ('lone', 'kumar');

-- Times are UTC; the model's day is Asia/Kolkata (+05:30), so 20:00Z on the 10th counts on the 11th.
CREATE TABLE sales (id serial PRIMARY KEY, seller text, sold_at timestamptz, channel text, kind text, amount numeric);
INSERT INTO sales (seller, sold_at, channel, kind, amount) VALUES
    ('raj', '2026-01-10T09:00:00Z', 'app', 'new', 100.00),
    ('meena', '2026-01-10T09:00:00Z', 'app', 'new', 12.34),
    ('meena', '2026-01-10T20:00:00Z', 'web', 'renewal', 5.005),
    ('meena', '2026-01-11T10:00:00Z', 'app', 'new', NULL),
    ('priya', '2026-01-11T12:00:00Z', 'app', 'new', 250.00),
    ('priya', '2026-01-12T12:00:00Z', 'web', 'refund', -10.50),
    ('ravi', '2026-01-12T08:00:00Z', 'app', 'new', 99.99),
    ('loop.2', '2026-01-13T08:00:00Z', 'app', 'new', 1.00),
    ('lone', '2026-01-15T08:00:00Z', 'app', 'new', 40.00),
    ('ghost', '2026-01-10T08:00:00Z', 'app', 'new', 1000.00),
    ('raj', NULL, 'app', 'new', 1000.00);

CREATE TABLE visits (id serial PRIMARY KEY, person text, visit_day date);
INSERT INTO visits (person, visit_day) VALUES
    ('asha.c', '2026-01-05'), ('asha.c', '2026-01-06'), ('sunil', '2026-01-06'), ('meena', '2026-01-20');
