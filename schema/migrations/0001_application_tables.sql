-- The application's own tables, as organisations already have them (design.md, "Data model").
-- IF NOT EXISTS: on an organisation's database these exist and are left exactly as they are.

CREATE TABLE IF NOT EXISTS public.roles (
    name text PRIMARY KEY,
    level int
);

CREATE TABLE IF NOT EXISTS public.users (
    id uuid PRIMARY KEY,
    name text,
    role text REFERENCES public.roles,
    state text,
    district text,
    block text,
    village text,
    status text,            -- active | inactive
    app_installed boolean,
    created_by uuid,
    created_at timestamptz
);

-- A user may have several supervisors; depth is unbounded and cycles happen.
CREATE TABLE IF NOT EXISTS public.user_hierarchy (
    parent_id uuid REFERENCES public.users,
    child_id uuid REFERENCES public.users,
    PRIMARY KEY (parent_id, child_id)
);

-- Append-mostly, tens of millions of rows.
CREATE TABLE IF NOT EXISTS public.registrations (
    id bigserial PRIMARY KEY,
    created_by uuid,
    created_at timestamptz,
    registration_type text,
    channel text
);
