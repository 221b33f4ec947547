import ArborModel
import ArborStore

/// A small organisation in the demo's own tables under the built-in war-story model, for tests of the service
/// around the queries (freshness, outages, the server end to end):
///
/// ```
/// Asha ─┬─ Bala ─┬─ Dev ── Hari        registrations: Asha 1, Bala 2, Chen 1, Dev 3, Esha 1,
///       │        └─ Esha ── Ira                       Farah 1, Gopal 2, Hari 1 (12); Ira none
///       └─ Chen ─┬─ Farah
///                └─ Gopal
/// ```
///
/// Everyone but Asha is `VOLUNTEER` (Asha is `DPOC`); 9 users, 8 edges, no cycle.
public enum DemoTree {
    /// The users, by name.
    public static let names = ["Asha", "Bala", "Chen", "Dev", "Esha", "Farah", "Gopal", "Hari", "Ira"]
    /// Each user's id: `00000000-0000-4000-8000-00000000000N`, N its place in ``names`` from 1.
    public static func id(_ name: String) -> String {
        let number = names.firstIndex(of: name)! + 1
        return "00000000-0000-4000-8000-\(String(repeating: "0", count: 12 - String(number).count))\(number)"
    }

    public static let root = id("Asha")
    public static let edges: [(parent: String, child: String)] = [
        ("Asha", "Bala"), ("Asha", "Chen"), ("Bala", "Dev"), ("Bala", "Esha"), ("Chen", "Farah"),
        ("Chen", "Gopal"), ("Dev", "Hari"), ("Esha", "Ira"),
    ]
    /// Registrations per user.
    public static let registrations = [
        "Asha": 1, "Bala": 2, "Chen": 1, "Dev": 3, "Esha": 1, "Farah": 1, "Gopal": 2, "Hari": 1,
    ]
    public static var totalRegistrations: Int64 { Int64(registrations.values.reduce(0, +)) }

    /// Creates the demo's tables, writes the tree, and installs the built-in model; returns it resolved.
    @discardableResult
    public static func install(into client: PostgresClient) async throws -> ResolvedModel {
        try await client.withTransaction { connection in
            try DemoOrganisation.createTables(on: connection)
            try connection.execute("INSERT INTO roles (name, level) VALUES ('DPOC', 7), ('VOLUNTEER', 1)")
            try connection.execute(
                """
                INSERT INTO users (id, name, role, state, status, app_installed)
                SELECT id::uuid, name, CASE WHEN name = 'Asha' THEN 'DPOC' ELSE 'VOLUNTEER' END, 'Bihar', 'active',
                    true
                FROM unnest($1::text[], $2::text[]) AS u(id, name)
                """, [.textArray(names.map(id)), .textArray(names)])
            try connection.execute(
                """
                INSERT INTO user_hierarchy (parent_id, child_id)
                SELECT * FROM unnest($1::text[]::uuid[], $2::text[]::uuid[])
                """, [.textArray(edges.map { id($0.parent) }), .textArray(edges.map { id($0.child) })])
        }
        try await client.withTransaction { connection in
            for (name, count) in registrations.sorted(by: { $0.key < $1.key }) {
                try connection.execute(
                    """
                    INSERT INTO registrations (created_by, created_at, registration_type, channel)
                    SELECT $1::text::uuid, now() - interval '1 day', 'VOTER', 'APP' FROM generate_series(1, $2::int)
                    """, [.text(id(name)), .int32(Int32(count))])
            }
        }
        return try await client.withConnection { connection in
            guard let model = try ModelCatalog.check(.demo, on: connection).resolved else {
                throw StoreError(.invalidArgument, "the demo's tables do not match the built-in model")
            }
            _ = try ModelInstaller.install(model, on: connection)
            return model
        }
    }

    /// Adds one registration of `name` now, in its own transaction; returns `arbor.current_version()` after it.
    public static func register(_ name: String = "Asha", client: PostgresClient) async throws -> UInt64 {
        try await client.withTransaction { connection in
            try connection.execute(
                """
                INSERT INTO registrations (created_by, created_at, registration_type, channel)
                VALUES ($1::text::uuid, now(), 'MEMBER', 'WEB')
                """, [.text(id(name))])
        }
        return try await client.withConnection { try $0.currentVersion() }
    }
}
