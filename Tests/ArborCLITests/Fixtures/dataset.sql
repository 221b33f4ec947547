-- The small fixed dataset the CLI, load and Python client tests run against (after `arbor-server migrate`).
--
--   01 Raj Kumar (RM)
--   ├── 02 Asha Devi (CPOC, Patna)        ← two users named "Asha Devi": an ambiguous name
--   │   ├── 04 Sunil Yadav (DPOC, inactive)
--   │   │   └── 07 Priya Singh (VOLUNTEER, no district)
--   │   └── 05 Meena Kumari (VOLUNTEER)
--   │       └── 07 Priya Singh              (a second supervisor)
--   └── 03 Asha Devi (DPOC, Gaya)
--       └── 06 Ravi Shankar (VOLUNTEER)
--           └── 08 Cyc One ⇄ 09 Cyc Two    (a cycle)
--   10 Lone Wolf (LPR), no relations
INSERT INTO roles (name, level) VALUES
    ('VOLUNTEER', 1), ('LPR', 2), ('DPOC', 3), ('DPR', 4), ('CPOC', 5), ('RM', 6);

INSERT INTO users (id, name, role, state, district, block, village, status, app_installed, created_by, created_at) VALUES
    ('00000000-0000-4000-8000-000000000001', 'Raj Kumar', 'RM', 'Bihar', 'Patna', 'Danapur', 'Khagaul', 'active', true, NULL, '2025-06-01T00:00:00Z'),
    ('00000000-0000-4000-8000-000000000002', 'Asha Devi', 'CPOC', 'Bihar', 'Patna', 'Danapur', 'Khagaul', 'active', true, NULL, '2025-06-01T00:00:00Z'),
    ('00000000-0000-4000-8000-000000000003', 'Asha Devi', 'DPOC', 'Bihar', 'Gaya', 'Bodh Gaya', 'Mastipur', 'active', false, NULL, '2025-06-01T00:00:00Z'),
    ('00000000-0000-4000-8000-000000000004', 'Sunil Yadav', 'DPOC', 'Bihar', 'Patna', 'Phulwari', 'Kurji', 'inactive', false, NULL, '2025-06-01T00:00:00Z'),
    ('00000000-0000-4000-8000-000000000005', 'Meena Kumari', 'VOLUNTEER', 'Bihar', 'Patna', 'Danapur', 'Khagaul', 'active', true, NULL, '2025-06-01T00:00:00Z'),
    ('00000000-0000-4000-8000-000000000006', 'Ravi Shankar', 'VOLUNTEER', 'Bihar', 'Gaya', 'Bodh Gaya', 'Mastipur', 'active', true, NULL, '2025-06-01T00:00:00Z'),
    ('00000000-0000-4000-8000-000000000007', 'Priya Singh', 'VOLUNTEER', 'Bihar', NULL, NULL, NULL, 'active', true, NULL, '2025-06-01T00:00:00Z'),
    ('00000000-0000-4000-8000-000000000008', 'Cyc One', 'VOLUNTEER', 'Bihar', 'Gaya', 'Bodh Gaya', 'Mastipur', 'active', false, NULL, '2025-06-01T00:00:00Z'),
    ('00000000-0000-4000-8000-000000000009', 'Cyc Two', 'VOLUNTEER', 'Bihar', 'Gaya', 'Bodh Gaya', 'Mastipur', 'active', false, NULL, '2025-06-01T00:00:00Z'),
    ('00000000-0000-4000-8000-000000000010', 'Lone Wolf', 'LPR', 'Bihar', 'Patna', 'Danapur', 'Khagaul', 'active', true, NULL, '2025-06-01T00:00:00Z');

INSERT INTO user_hierarchy (parent_id, child_id) VALUES
    ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'),
    ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000003'),
    ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000004'),
    ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000005'),
    ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000006'),
    ('00000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000007'),
    ('00000000-0000-4000-8000-000000000005', '00000000-0000-4000-8000-000000000007'),
    ('00000000-0000-4000-8000-000000000006', '00000000-0000-4000-8000-000000000008'),
    ('00000000-0000-4000-8000-000000000008', '00000000-0000-4000-8000-000000000009'),
    ('00000000-0000-4000-8000-000000000009', '00000000-0000-4000-8000-000000000008');

INSERT INTO registrations (created_by, created_at, registration_type, channel) VALUES
    ('00000000-0000-4000-8000-000000000001', '2026-01-10T09:00:00Z', 'NEW', 'app'),
    ('00000000-0000-4000-8000-000000000005', '2026-01-10T09:00:00Z', 'NEW', 'app'),
    ('00000000-0000-4000-8000-000000000005', '2026-01-10T10:00:00Z', 'NEW', 'app'),
    ('00000000-0000-4000-8000-000000000005', '2026-01-10T23:59:59Z', 'NEW', 'app'),
    ('00000000-0000-4000-8000-000000000005', '2026-01-11T00:00:00Z', 'RENEWAL', 'web'),
    ('00000000-0000-4000-8000-000000000007', '2026-01-10T12:00:00Z', 'NEW', 'app'),
    ('00000000-0000-4000-8000-000000000007', '2026-01-10T13:00:00Z', 'NEW', 'app'),
    ('00000000-0000-4000-8000-000000000006', '2026-01-12T08:00:00Z', 'NEW', 'web'),
    ('00000000-0000-4000-8000-000000000008', '2026-01-11T08:00:00Z', 'NEW', 'app'),
    ('00000000-0000-4000-8000-000000000010', '2026-01-15T08:00:00Z', 'NEW', 'app'),
    ('00000000-0000-4000-8000-000000000010', '2026-01-15T09:00:00Z', 'NEW', 'app');
