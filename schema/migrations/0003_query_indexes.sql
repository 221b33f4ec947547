-- Indexes the live queries need.

-- Walking the hierarchy upwards (parents of a child); downwards uses the primary key (parent_id, child_id).
CREATE INDEX IF NOT EXISTS user_hierarchy_child_parent ON public.user_hierarchy (child_id, parent_id);

-- Registrations of a user in a time window.
CREATE INDEX IF NOT EXISTS registrations_created_by_created_at ON public.registrations (created_by, created_at);

-- FindUsers: case-insensitive name prefixes, and listing by name in byte order.
CREATE INDEX IF NOT EXISTS users_lower_name_prefix ON public.users (lower(name) text_pattern_ops);
CREATE INDEX IF NOT EXISTS users_name_bytes ON public.users ((name COLLATE "C"), id);
