// service-probe DATABASE_URL [DISTRICT]: server-side times of the Hierarchy service on a seeded database, from the
// snapshot and from live SQL in the same run, plus refresh times and memory. DISTRICT is the FilteredStats filter's
// district (default: the district with the most VOLUNTEERs below Raj). Run from Benchmarks/:
//   swift run -c release service-probe postgresql://postgres@127.0.0.1:56000/bench4 Madurai
import ArborModel
import ArborService
import ArborStore
import ArborWire
import Foundation
import Logging

func milliseconds(_ duration: Duration) -> Double {
    duration.fractionalMilliseconds
}

func median(_ runs: Int, _ body: () async throws -> Void) async throws -> Double {
    var times: [Double] = []
    for _ in 0..<runs {
        let started = ContinuousClock.now
        try await body()
        times.append(milliseconds(ContinuousClock.now - started))
    }
    return times.sorted()[times.count / 2]
}

/// Resident memory now (`VmRSS`) or at its peak so far (`VmHWM`), in MB.
func residentMegabytes(_ field: String = "VmRSS:") -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix(field) } ?? ""
    return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
}

guard (2...3).contains(CommandLine.arguments.count) else {
    print("usage: service-probe DATABASE_URL [DISTRICT]")
    exit(64)
}
// As `arbor-server serve` does, so that memory is the server's.
AllocatorTuning.returnLargeBlocksToTheSystem()
var logger = Logger(label: "service-probe")
logger.logLevel = .warning
let client = PostgresClient(
    configuration: try PostgresConfiguration(connectionString: CommandLine.arguments[1]), maxConnections: 4,
    logger: logger)
let snapshots = SnapshotHolder<IndexSnapshot>()
let service = HierarchyService(
    live: LiveQueries(client: client), snapshots: snapshots,
    configuration: .init(defaultMaxStaleness: .seconds(3600), staleIfError: .seconds(3600), maxResponseBytes: 1 << 30),
    logger: logger)
let refresher = Refresher(client: client, snapshots: snapshots, health: nil, configuration: .init(), logger: logger)

print("rss before load: \(String(format: "%.0f", residentMegabytes())) MB")
let fullLoad = try await median(3) { try await refresher.refresh(forceFullLoad: true) }
print("full load (COPY + build), median of 3: \(String(format: "%.0f", fullLoad)) ms")
print(
    "rss after load: \(String(format: "%.0f", residentMegabytes())) MB; peak so far (old and new snapshot during the "
        + "second and third load): \(String(format: "%.0f", residentMegabytes("VmHWM:"))) MB")
let unchanged = try await median(20) { try await refresher.refresh() }
print("refresh of an unchanged database, median of 20: \(String(format: "%.2f", unchanged)) ms")

// A change (one registration added, then removed) makes the next refresh rebuild: what a write costs today.
let changed = try await median(3) {
    try await client.withTransaction { connection in
        try connection.execute(
            """
            INSERT INTO registrations (created_by, created_at, registration_type, channel)
            SELECT id, now(), 'VOTER', 'APP' FROM users WHERE name = 'Raj'
            """)
    }
    try await refresher.refresh()
    try await client.withTransaction { connection in
        try connection.execute("DELETE FROM registrations WHERE id = (SELECT max(id) FROM registrations)")
    }
}
print("refresh after a one-row write (+ the write and its removal), median of 3: \(String(format: "%.0f", changed)) ms")

let (lastDay, district) = try await client.withConnection { connection in
    let day = try connection.query("SELECT max(day)::text FROM arbor.daily_rollups").first!.decode(String.self, at: 0)
    // Raj's direct reports are state-level and have no district: look through his whole subtree.
    let district =
        CommandLine.arguments.count == 3
        ? CommandLine.arguments[2]
        : try connection.query(
            """
            WITH RECURSIVE below(id) AS (
                SELECT id FROM users WHERE name = 'Raj'
                UNION SELECT h.child_id FROM below JOIN user_hierarchy h ON h.parent_id = below.id)
            SELECT u.district FROM below JOIN users u ON u.id = below.id
            WHERE u.role = 'VOLUNTEER' AND u.district IS NOT NULL
            GROUP BY u.district ORDER BY count(*) DESC, u.district LIMIT 1
            """
        ).first!.decode(String.self, at: 0)
    return (day, district)
}
let to = Day(iso: lastDay)!
var find = ArborV1.FindUsersRequest()
find.namePrefix = "Raj"
find.limit = 1000
let raj = try await service.findUsers(find, deadline: nil).users.first { $0.name == "Raj" }!.id

var descendants = ArborV1.DescendantsRequest()
descendants.root = raj
var stats = ArborV1.FilteredStatsRequest()
stats.root = raj
var filter = ArborV1.UserFilter()
filter.roles = ["VOLUNTEER"]
filter.districts = [district]
stats.userFilter = filter
stats.registrationTypes = ["VOTER"]
stats.fromDate = to.advanced(by: -44).isoString
stats.toDate = to.isoString
stats.groupBy = [.day]
var leaderboard = ArborV1.LeaderboardRequest()
leaderboard.fromDate = to.advanced(by: -29).isoString
leaderboard.toDate = to.isoString
let cycles = ArborV1.CyclesRequest()

print("calls (Raj's district \(district), window ending \(to)):")
print("| call | cache (median of 50) | live (median of 3) | live / cache |")
print("|---|---:|---:|---:|")
func compare(_ name: String, _ call: @escaping (ArborV1.Freshness?) async throws -> Void) async throws {
    let live = ArborV1.Freshness(requireLive: true)
    let cached = try await median(50) { try await call(nil) }
    let liveTime = try await median(3) { try await call(live) }
    print(
        "| \(name) | \(String(format: "%.3f", cached)) ms | \(String(format: "%.1f", liveTime)) ms | "
            + "\(String(format: "%.0f", liveTime / cached))× |")
}
try await compare("Descendants(Raj)") { freshness in
    descendants.freshness = freshness
    _ = try await service.descendants(descendants, deadline: nil)
}
try await compare("FilteredStats(Raj, 45 days, role+district+type, by day)") { freshness in
    stats.freshness = freshness
    _ = try await service.filteredStats(stats, deadline: nil)
}
try await compare("Leaderboard(all users, 30 days)") { freshness in
    leaderboard.freshness = freshness
    _ = try await service.leaderboard(leaderboard, deadline: nil)
}
try await compare("Cycles") { freshness in
    var request = cycles
    request.freshness = freshness
    _ = try await service.cycles(request, deadline: nil)
}
await client.shutdown()
