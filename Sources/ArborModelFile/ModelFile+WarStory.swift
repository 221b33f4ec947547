/// The war-story demo organisation's model, the one `arbor-server` uses when it is given no `--model`: the text of
/// `examples/war-story/arbor.yaml`, byte for byte (a test holds the two together), so the binary needs no file.
extension ModelFile {
    /// The text of `examples/war-story/arbor.yaml`.
    public static let warStoryText = """
        # The war-story demo organisation: what `arbor-server seed-demo` creates, and the model the server uses when it is
        # given no --model. Users under supervisors, many-to-many, with the registrations each user made.
        time_zone: Asia/Kolkata
        nodes:
          table: public.users
          id: id
          label: name
          attributes:
            role:          { column: role, values_from: public.roles.name }
            state:         { column: state }
            district:      { column: district }
            block:         { column: block }
            village:       { column: village }
            status:        { column: status }
            app_installed: { column: app_installed }
        hierarchy:
          edges: { table: public.user_hierarchy, parent: parent_id, child: child_id }
        events:
          registrations:
            table: public.registrations
            node: created_by
            time: created_at
            dimensions: [registration_type, channel]

        """
}
