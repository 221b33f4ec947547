-- Role changes reach the change log too: the in-memory index validates role names and counts downlines by role,
-- so a snapshot that saw no change-log entry must really be unchanged. Roles change rarely, so any change asks
-- readers to reload everything.
CREATE FUNCTION arbor.roles_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    INSERT INTO arbor.change_log (kind) VALUES ('reset');
    RETURN NULL;
END
$$;

CREATE TRIGGER arbor_roles_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.roles
    FOR EACH STATEMENT EXECUTE FUNCTION arbor.roles_changed();
