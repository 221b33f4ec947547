import ArborFixtures
import ArborModel
import ArborStore
import Foundation

/// Writes a hand-built graph (or any users, edges and registrations) into a migrated database through the
/// application tables, so the rollup triggers build `arbor.daily_rollups` as they would in production.
enum GraphLoader {
    static func load(_ graph: HandBuiltGraph, into client: PostgresClient) async throws {
        try await load(
            roles: graph.roles, users: graph.users, edges: graph.edges,
            registrations: graph.registrations.map { ($0.user, $0.createdAt, $0.type, $0.channel) }, into: client)
    }

    static func load(
        roles: [RoleRow], users: [UserRow], edges: [EdgeRow],
        registrations: [(user: UserID, createdAt: String, type: String?, channel: String?)],
        into client: PostgresClient
    ) async throws {
        try await client.withTransaction { connection in
            for role in roles {
                try connection.execute(
                    "INSERT INTO roles (name, level) VALUES ($1, $2)", [.text(role.name), .int32(role.level)])
            }
            for user in users {
                try connection.execute(
                    """
                    INSERT INTO users (id, name, role, state, district, block, village, status, app_installed)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                    """,
                    [
                        .uuid(user.id.foundationUUID), .text(user.name), .text(user.role), .text(user.state),
                        .text(user.district), .text(user.block), .text(user.village), .text(user.status),
                        .bool(user.appInstalled),
                    ])
            }
            for edge in edges {
                try connection.execute(
                    "INSERT INTO user_hierarchy (parent_id, child_id) VALUES ($1, $2)",
                    [.uuid(edge.parent.foundationUUID), .uuid(edge.child.foundationUUID)])
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
}

extension UserID {
    var foundationUUID: UUID {
        let b = bytes
        return UUID(
            uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])
        )
    }
}
