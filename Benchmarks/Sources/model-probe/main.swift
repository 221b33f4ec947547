// model-probe DATABASE_URL [DISTRICT]: server-side times of the arbor.v2 service on the war-story demo (the built-in
// demo model, installed with `arbor-server migrate --model examples/war-story/arbor.yaml`), from the snapshot and
// from live SQL in the same run, plus load and refresh times and memory. Each time includes encoding the response.
// Run from Benchmarks/:
//   swift run -c release model-probe postgresql://postgres@127.0.0.1:55440/bench
// With MODEL_PROBE_LOAD_ONLY=1 it stops after the loads and refreshes (it writes and removes one registration).
import ArborIndex
import ArborModel
import ArborService
import ArborStore
import ArborWire
import Foundation
import Logging
import ProbeSupport

guard (2...3).contains(CommandLine.arguments.count) else {
    print("usage: model-probe DATABASE_URL [DISTRICT]")
    exit(64)
}
AllocatorTuning.returnLargeBlocksToTheSystem()
var logger = Logger(label: "model-probe")
logger.logLevel = .warning
let client = PostgresClient(
    configuration: try PostgresConfiguration(connectionString: CommandLine.arguments[1]), maxConnections: 4,
    logger: logger)
let model = try await client.withConnection { connection in
    guard let resolved = try ModelCatalog.check(.demo, on: connection).resolved else {
        fatalError("the demo model does not resolve against this database")
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

print("rss before load: \(format(residentMegabytes(), 0)) MB")
// Where a full load goes, phase by phase (the same steps as ModelRefresher's full load).
let phases = try await client.withReadOnlySnapshot { connection in
    var times: [(String, Double)] = []
    var mark = ContinuousClock.now
    func lap(_ name: String) {
        times.append((name, milliseconds(ContinuousClock.now - mark)))
        mark = ContinuousClock.now
    }
    let reader = try ModelLoadReader(model, on: connection)
    let nodes = try reader.nodes()
    lap("nodes (COPY + encode)")
    let edges = try reader.edges()
    lap("edges (COPY)")
    var builder = try ModelIndexBuilder(model: model, nodes: nodes, edges: edges)
    lap("ids, attributes, hierarchy")
    for source in model.sources {
        try builder.beginSource(
            combinations: try reader.combinations(of: source), layout: SourcePack(source).layout,
            expectedRows: try reader.estimatedEntries(of: source))
        _ = try reader.packs(of: source) { try builder.add($0) }
    }
    lap("packs (COPY + decode)")
    for source in model.sources { _ = try reader.packs(of: source) { _ in } }
    lap("packs again, COPY only")
    let closed = try reader.closedValues()
    let index = builder.build(closedValues: closed)
    lap("rank order, subtree days, labels")
    return (times, index.nodeCount)
}
print("one full load by phase: " + phases.0.map { "\($0.0) \(format($0.1, 0)) ms" }.joined(separator: "; "))
let fullLoad = try await median(3) { try await refresher.refresh(forceFullLoad: true) }
print("full load (read rollups + build), median of 3: \(format(fullLoad, 0)) ms")
print(
    "rss after load: \(format(residentMegabytes(), 0)) MB; peak \(format(residentMegabytes("VmHWM:"), 0)) MB; "
        + "index \(snapshots.current!.index.approximateByteCount / 1_000_000) MB")
let unchanged = try await median(20) { try await refresher.refresh() }
print("refresh of an unchanged database, median of 20: \(format(unchanged, 2)) ms")

// One registration committed, then the refresh that applies it (incremental), end to end; the row is removed
// again (and that refresh applied) after each trial.
var incremental: [Double] = []
var refreshOnly: [Double] = []
for _ in 0..<5 {
    let started = ContinuousClock.now
    try await client.withConnection { connection in
        try connection.execute(
            """
            INSERT INTO registrations (created_by, created_at, registration_type, channel)
            SELECT id, now(), 'VOTER', 'APP' FROM users ORDER BY id LIMIT 1
            """)
    }
    let written = ContinuousClock.now
    guard case .incremental = try await refresher.refresh() else { fatalError("the refresh was not incremental") }
    incremental.append(milliseconds(ContinuousClock.now - started))
    refreshOnly.append(milliseconds(ContinuousClock.now - written))
    try await client.withConnection { connection in
        try connection.execute(
            "DELETE FROM registrations WHERE id = (SELECT max(id) FROM registrations) AND channel = 'APP'")
    }
    try await refresher.refresh()
}
print(
    "incremental refresh after a one-registration insert, median of 5: \(format(incremental.sorted()[2], 1)) ms "
        + "(write + refresh; the refresh alone \(format(refreshOnly.sorted()[2], 1)) ms)")
print(
    "rss after the refreshes: \(format(residentMegabytes(), 0)) MB; peak \(format(residentMegabytes("VmHWM:"), 0)) MB")
if ProcessInfo.processInfo.environment["MODEL_PROBE_LOAD_ONLY"] != nil {
    await client.shutdown()
    exit(0)
}

let (lastDay, district) = try await client.withConnection { connection in
    let day = try connection.query("SELECT max(day)::text FROM arbor.rollup_registrations").first!.decode(
        String.self, at: 0)
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
let raj = try await service.findNodes(ArborV2.FindNodesRequest(labelPrefix: "Raj", limit: 1000), deadline: nil)
    .nodes.first { $0.label == "Raj" }!.id
// The first leaderboard of a snapshot builds its running day totals (CumulativeDayTotals): their cost, once.
let bytesBefore = snapshots.current!.index.approximateByteCount
let firstStarted = ContinuousClock.now
let top = try await service.leaderboard(
    ArborV2.LeaderboardRequest(orderBy: .downlineSize, limit: 1), deadline: nil
).rows[0]
print(
    "first Leaderboard of the snapshot (builds the running day totals): "
        + "\(format(milliseconds(ContinuousClock.now - firstStarted), 1)) ms; running day totals "
        + "\(format(Double(snapshots.current!.index.approximateByteCount - bytesBefore) / 1e6, 1)) MB")
let window45 = ArborV2.EventScope(fromDate: to.advanced(by: -44).isoString, toDate: to.isoString)
let window30 = ArborV2.EventScope(fromDate: to.advanced(by: -29).isoString, toDate: to.isoString)

print(
    "calls (Raj \(raj); top of the organisation \(top.id) with \(top.downlineSize) descendants; Raj's district "
        + "\(district); windows ending \(to)):")
print("| call | cache (median of 50) | live (median of 3) | live / cache |")
print("|---|---:|---:|---:|")
func compare(_ name: String, _ call: @escaping (ArborV2.Freshness?) async throws -> Void) async throws {
    let cached = try await median(50) { try await call(nil) }
    let live = try await median(3) { try await call(ArborV2.Freshness(requireLive: true)) }
    print("| \(name) | \(format(cached, 3)) ms | \(format(live, 1)) ms | \(format(live / cached, 0))× |")
}
try await compare("Descendants(Raj), encoded") { freshness in
    let chunks = try await service.traverse(
        ArborV2.TraversalRequest(root: raj, freshness: freshness), direction: .descendants, deadline: nil)
    // What the server sends: each chunk's bytes, written straight from the index.
    for position in chunks.indices { _ = chunks.encoded(position) }
}
for (name, root) in [("Raj", raj), ("top", top.id)] {
    try await compare("FilteredStats(\(name), 45 days, by day, no filter)") { freshness in
        _ = try await service.filteredStats(
            ArborV2.FilteredStatsRequest(root: root, events: window45, groupBy: ["day"], freshness: freshness),
            deadline: nil
        ).serializedBytes()
    }
}
try await compare("FilteredStats(Raj, 45 days, role+district+type, by day)") { freshness in
    var events = window45
    events.match = [ArborV2.Match(name: "registration_type", values: ["VOTER"])]
    _ = try await service.filteredStats(
        ArborV2.FilteredStatsRequest(
            root: raj,
            filter: [
                ArborV2.Match(name: "role", values: ["VOLUNTEER"]), ArborV2.Match(name: "district", values: [district]),
            ], events: events, groupBy: ["day"], freshness: freshness), deadline: nil
    ).serializedBytes()
}
try await compare("Leaderboard(all users, TREE count, 30 days)") { freshness in
    _ = try await service.leaderboard(
        ArborV2.LeaderboardRequest(orderBy: .treeMeasure, events: window30, freshness: freshness), deadline: nil
    ).serializedBytes()
}
try await compare("Cycles") { freshness in
    _ = try await service.cycles(ArborV2.CyclesRequest(freshness: freshness), deadline: nil).serializedBytes()
}
await client.shutdown()
