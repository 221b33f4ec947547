import ArborClient
import Foundation

/// Reads a ``WorkloadSample`` from a running server: leaderboards by downline size (both ends) for roots of every
/// size, part of the largest downline for more users, and those users' names, roles and districts.
public enum WorkloadSampler {
    public static func sample(client: ArborClient, timeout: Duration) async throws -> WorkloadSample {
        var roots: [WorkloadSample.Root] = []
        for ascending in [false, true] {
            let board = try await client.leaderboard(
                LeaderboardQuery(metric: .downlineSize, ascending: ascending, limit: 1000), timeout: timeout)
            roots += board.value.rows.map { .init(id: $0.userID, downlineSize: $0.downlineSize) }
        }
        // Users below the biggest root: more names and mid-sized subtrees than the two leaderboard ends show.
        var ids: Set<UserID> = Set(roots.map(\.id))
        if let biggest = roots.max(by: { $0.downlineSize < $1.downlineSize }) {
            let stream = try await client.descendants(DescendantsQuery(root: biggest.id, limit: 2000), timeout: timeout)
            for try await entry in stream { ids.insert(entry.id) }
        }
        let users = try await client.users(ids: ids, timeout: timeout).value.values
        var prefixes: Set<String> = []
        for user in users where !user.name.isEmpty {
            prefixes.insert(String(user.name.prefix(2)))
            prefixes.insert(String(user.name.prefix(4)))
        }
        let roles = Set(users.map(\.role).filter { !$0.isEmpty })
        let districts = Set(users.map(\.district).filter { !$0.isEmpty })
        let now = Int32(Date().timeIntervalSince1970 / 86_400)
        return WorkloadSample(
            rootsBySize: WorkloadSample.group(roots), namePrefixes: prefixes.sorted(), roles: roles.sorted(),
            districts: districts.sorted(), today: Day(daysSinceEpoch: now))
    }
}
