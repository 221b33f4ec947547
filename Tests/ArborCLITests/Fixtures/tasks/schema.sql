-- The integer-id fixture: a task tree by parent column (one parent per task), each task one event of its own
-- node, counted on the day it was created, with its effort summed. Ids order numerically (2 < 20 < 100).
--
--   1 Launch
--   ├── 2 Design
--   │   └── 4 Review
--   ├── 3 Build
--   │   ├── 5 Review                 ← two tasks titled "Review": an ambiguous label
--   │   └── 6 Fix login
--   │       └── 8 404                ← a label that reads like an id of no task
--   ├── 20 Docs
--   └── 100 Release notes
--   10 Loop A ⇄ 11 Loop B            (a cycle)
--   12 Orphan (parent 99 does not exist)
CREATE TABLE tasks (
    id bigint PRIMARY KEY, parent_id bigint, title text, status text, priority integer, created_at timestamp,
    effort integer);
INSERT INTO tasks VALUES
    (1, NULL, 'Launch', 'open', 1, '2026-02-01 09:00', 8),
    (2, 1, 'Design', 'done', 2, '2026-02-01 10:00', 5),
    (3, 1, 'Build', 'open', 1, '2026-02-02 09:00', 13),
    (4, 2, 'Review', 'done', 3, '2026-02-02 23:59', 2),
    (5, 3, 'Review', 'open', 3, '2026-02-03 00:00', 3),
    (6, 3, 'Fix login', 'blocked', 1, '2026-02-03 12:00', NULL),
    (8, 6, '404', 'open', 2, '2026-02-04 08:00', 1),
    (20, 1, 'Docs', NULL, NULL, '2026-02-05 08:00', 3),
    (100, 1, 'Release notes', 'open', 2, NULL, 1),
    (10, 11, 'Loop A', 'open', 5, '2026-02-06 08:00', 1),
    (11, 10, 'Loop B', 'open', 5, '2026-02-06 09:00', 1),
    (12, 99, 'Orphan', 'done', 4, '2026-02-07 08:00', 2);
