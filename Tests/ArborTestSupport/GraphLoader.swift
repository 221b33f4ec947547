import ArborFixtures
import ArborModel
import ArborStore
import Foundation

/// Writes users, edges and registrations into a migrated database through the application tables, so the
/// triggers build `arbor.daily_rollups` and the change log as they would in production.
public enum GraphLoader {
    /// One registration to insert: who, when (a timestamptz literal), type and channel.
    public typealias Registration = (user: UserID, createdAt: String, type: String?, channel: String?)

    public static func load(_ graph: HandBuiltGraph, into client: PostgresClient) async throws {
        try await load(
            roles: graph.roles, users: graph.users, edges: graph.edges,
            registrations: graph.registrations.map { ($0.user, $0.createdAt, $0.type, $0.channel) }, into: client)
    }

    /// Registrations that reproduce `rollups` in a database whose time zone is UTC: each counted registration
    /// at noon UTC of its day.
    public static func registrations(reproducing rollups: [RollupRow]) -> [Registration] {
        rollups.flatMap { rollup in
            Array(
                repeating: (rollup.user, "\(rollup.day.isoString) 12:00:00+00", rollup.registrationType, rollup.channel),
                count: Int(rollup.registrations))
        }
    }

    public static func load(
        roles: [RoleRow], users: [UserRow], edges: [EdgeRow], registrations: [Registration],
        into client: PostgresClient
    ) async throws {
        try await client.withTransaction { connection in
            if !roles.isEmpty {
                try connection.execute(
                    "INSERT INTO roles (name, level) SELECT * FROM unnest($1::text[], $2::int4[])",
                    [.textArray(roles.map(\.name)), .textArray(roles.map { $0.level.map(String.init) })])
            }
            if !users.isEmpty {
                try connection.execute(
                    """
                    INSERT INTO users (id, name, role, state, district, block, village, status, app_installed)
                    SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                                         $7::text[], $8::text[], $9::text[]::bool[])
                    """,
                    [
                        .uuidArray(users.map(\.id.foundationUUID)), .textArray(users.map(\.name)),
                        .textArray(users.map(\.role)), .textArray(users.map(\.state)),
                        .textArray(users.map(\.district)), .textArray(users.map(\.block)),
                        .textArray(users.map(\.village)), .textArray(users.map(\.status)),
                        .textArray(users.map { $0.appInstalled.map { $0 ? "true" : "false" } }),
                    ])
            }
            if !edges.isEmpty {
                try connection.execute(
                    "INSERT INTO user_hierarchy (parent_id, child_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])",
                    [.uuidArray(edges.map(\.parent.foundationUUID)), .uuidArray(edges.map(\.child.foundationUUID))])
            }
            if !registrations.isEmpty {
                // One statement, as a bulk writer would: the statement-level trigger aggregates it once.
                try connection.execute(
                    """
                    INSERT INTO registrations (created_by, created_at, registration_type, channel)
                    SELECT * FROM unnest($1::uuid[], $2::text[]::timestamptz[], $3::text[], $4::text[])
                    """,
                    [
                        .uuidArray(registrations.map { $0.user.foundationUUID }),
                        .textArray(registrations.map { $0.createdAt }), .textArray(registrations.map { $0.type }),
                        .textArray(registrations.map { $0.channel }),
                    ])
            }
        }
    }

    /// Empties the application tables (and so, through the triggers, the rollups) in one transaction.
    public static func truncate(_ client: PostgresClient) async throws {
        try await client.withTransaction { connection in
            try connection.execute("TRUNCATE registrations, user_hierarchy, users, roles CASCADE")
        }
    }
}

extension UserID {
    /// The same 16 bytes as a Foundation `UUID`, for binding.
    public var foundationUUID: UUID {
        let b = bytes
        return UUID(
            uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])
        )
    }
}
