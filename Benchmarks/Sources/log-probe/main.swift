// log-probe DATABASE_URL [MODEL_FILE]: the arbor.v2 service on `examples/log-entries` (a log tree where every entry
// is a node and one event), server-side, cache against live in the same run: full load, memory, Descendants of a
// typical entry, FilteredStats of a 10k-entry subtree by level per day, and one-entry incremental refreshes timed
// from the writer's commit to the snapshot that holds it. Seed and install first:
//   arbor-server seed-demo --example log-entries --entries 30000000 --database-url URL
//   arbor-server migrate --model examples/log-entries/arbor.yaml --database-url URL
// Run from Benchmarks/:
//   swift run -c release log-probe postgresql://postgres@127.0.0.1:55440/logs30m
import ArborIndex
import ArborModel
import ArborModelFile
import ArborService
import ArborStore
import ArborWire
import Foundation
import Logging
import ProbeSupport

guard (2...3).contains(CommandLine.arguments.count) else {
    report("usage: log-probe DATABASE_URL [MODEL_FILE (default ../examples/log-entries/arbor.yaml)]")
    exit(64)
}
let modelPath = CommandLine.arguments.count == 3 ? CommandLine.arguments[2] : "../examples/log-entries/arbor.yaml"
AllocatorTuning.returnLargeBlocksToTheSystem()
var logger = Logger(label: "log-probe")
logger.logLevel = .warning
let client = PostgresClient(
    configuration: try PostgresConfiguration(connectionString: CommandLine.arguments[1]), maxConnections: 4,
    logger: logger)
let file = try ModelFile.read(contentsOf: modelPath)
let model = try await client.withConnection { connection in
    guard let resolved = try ModelCatalog.check(file.model, on: connection).resolved else {
        fatalError("\(modelPath) does not resolve against this database")
    }
    try ModelInstallation.check(resolved, on: connection)
    return resolved
}
let snapshots = SnapshotHolder<ModelIndex>()
let service = ModelHierarchyService(
    model: model, client: client, snapshots: snapshots,
    configuration: .init(defaultMaxStaleness: .seconds(3600), staleIfError: .seconds(3600), maxResponseBytes: 1 << 30),
    logger: logger)
let refresher = ModelRefresher(
    model: model, client: client, snapshots: snapshots, health: nil, configuration: .init(), logger: logger)

report("rss before load: \(format(residentMegabytes(), 0)) MB")
var loads: [Double] = []
for run in 1...3 {
    let started = ContinuousClock.now
    let outcome = try await refresher.refresh(forceFullLoad: true)
    loads.append(milliseconds(ContinuousClock.now - started))
    report(
        "full load \(run): \(format(loads.last!, 0)) ms (\(outcome)); rss \(format(residentMegabytes(), 0)) MB, "
            + "peak \(format(residentMegabytes("VmHWM:"), 0)) MB")
}
report("full load (read + build), median of 3: \(format(loads.sorted()[1], 0)) ms")
report(
    "rss after loads: \(format(residentMegabytes(), 0)) MB; peak \(format(residentMegabytes("VmHWM:"), 0)) MB; "
        + "index \(snapshots.current!.index.approximateByteCount / 1_000_000) MB, "
        + "\(snapshots.current!.index.nodeCount) nodes")

// A typical entry: a root whose tree holds a few hundred entries (the shape of one request's log), and a subtree
// of about 10k entries; both found from the snapshot's own downline sizes.
var pages: [ArborV2.LeaderboardRow] = []
repeat {
    pages += try await service.leaderboard(
        ArborV2.LeaderboardRequest(orderBy: .downlineSize, limit: 1000, offset: UInt32(pages.count)), deadline: nil
    ).rows
} while (pages.last?.downlineSize ?? 0) > 250 && pages.count < 200_000
let ranked = pages
func closest(to size: Int) -> ArborV2.LeaderboardRow {
    ranked.min { abs(Int($0.downlineSize) - size) < abs(Int($1.downlineSize) - size) }!
}
let typical = closest(to: 300)
let large = closest(to: 10_000)
let lastDay = try await client.withConnection { connection in
    try connection.query("SELECT (max(created_at) AT TIME ZONE 'UTC')::date::text FROM log_entries").first!.decode(
        String.self, at: 0)
}
let to = Day(iso: lastDay)!
report(
    "calls (typical entry \(typical.id) with \(typical.downlineSize) descendants; subtree \(large.id) with "
        + "\(large.downlineSize); windows ending \(to)):")
report("| call | cache (median of 50) | live (median of 3) | live / cache |")
report("|---|---:|---:|---:|")
func compare(_ name: String, _ call: @escaping (ArborV2.Freshness?) async throws -> Void) async throws {
    let cached = try await median(50) { try await call(nil) }
    let live = try await median(3) { try await call(ArborV2.Freshness(requireLive: true)) }
    report("| \(name) | \(format(cached, 3)) ms | \(format(live, 1)) ms | \(format(live / cached, 0))× |")
}
try await compare("Descendants(typical entry, \(typical.downlineSize)), encoded") { freshness in
    let chunks = try await service.traverse(
        ArborV2.TraversalRequest(root: typical.id, freshness: freshness), direction: .descendants, deadline: nil)
    for chunk in chunks { _ = chunk.serializedBytes() }
}
try await compare("FilteredStats(subtree of \(large.downlineSize), by level per day, 30 days)") { freshness in
    _ = try await service.filteredStats(
        ArborV2.FilteredStatsRequest(
            root: large.id,
            events: ArborV2.EventScope(fromDate: to.advanced(by: -29).isoString, toDate: to.isoString),
            groupBy: ["day", "level"], freshness: freshness), deadline: nil
    ).serializedBytes()
}
try await compare("FilteredStats(subtree of \(large.downlineSize), ERROR only, by day)") { freshness in
    _ = try await service.filteredStats(
        ArborV2.FilteredStatsRequest(
            root: large.id, filter: [ArborV2.Match(name: "level", values: ["ERROR"])], groupBy: ["day"],
            freshness: freshness), deadline: nil
    ).serializedBytes()
}

// One entry written under the typical entry, then refreshes until the snapshot holds it: the time from the commit
// to the published snapshot, as a caller holding the write's version would wait for it. Each entry has a new
// message (a label value the index has never seen), as real log lines do.
report("| one-entry write → snapshot holding it | refresh outcome |")
report("|---:|---|")
var refreshes: [Double] = []
let parent = Int64(typical.id)!
for run in 1...7 {
    let (version, committed) = try await client.withConnection { connection in
        try connection.execute(
            """
            INSERT INTO log_entries (id, parent_id, level, source, message, created_at)
            SELECT max(id) + 1, $1, 'INFO', 'auth', $2, now() FROM log_entries
            """, [.int64(parent), .text("log-probe entry \(run) at \(Date().timeIntervalSince1970)")])
        return (try connection.currentVersion(), ContinuousClock.now)
    }
    var outcome = try await refresher.refresh()
    while (snapshots.current?.stamp.version ?? 0) < version {
        outcome = try await refresher.refresh()
    }
    refreshes.append(milliseconds(ContinuousClock.now - committed))
    report("| \(format(refreshes.last!, 1)) ms | \(outcome) |")
}
report("one-entry refresh, median of 7: \(format(refreshes.sorted()[3], 1)) ms")
try await client.withConnection { connection in
    try connection.execute("DELETE FROM log_entries WHERE message LIKE 'log-probe entry %'")
}
await client.shutdown()
