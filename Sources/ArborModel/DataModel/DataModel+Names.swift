extension DataModel {
    /// Names that mean something else in requests: time groupings, the node itself, its label, the count.
    public static let reservedNames: Set<String> = ["day", "week", "month", "node", "label", "count"]

    /// Whether `name` is a valid attribute, dimension, source or measure name: `[a-z][a-z0-9_]*`.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }
    }

    /// The demo organisation's model, used when no model file is given: what `seed-demo` creates.
    public static let demo = DataModel(
        timeZone: "Asia/Kolkata",
        nodes: Nodes(
            table: TableName(name: "users"), id: "id", label: "name",
            attributes: [
                Attribute(
                    name: "role", column: "role",
                    valuesFrom: ColumnReference(table: TableName(name: "roles"), column: "name")),
                Attribute(name: "state", column: "state"),
                Attribute(name: "district", column: "district"),
                Attribute(name: "block", column: "block"),
                Attribute(name: "village", column: "village"),
                Attribute(name: "status", column: "status"),
                Attribute(name: "app_installed", column: "app_installed"),
            ]),
        hierarchy: .edges(table: TableName(name: "user_hierarchy"), parent: "parent_id", child: "child_id"),
        sources: [
            EventSource(
                name: "registrations", table: TableName(name: "registrations"), node: "created_by",
                time: "created_at", dimensions: ["registration_type", "channel"])
        ])
}
