import ArborIndex
import ArborModel
import DemoShape

#if canImport(Glibc)
    import Glibc
#endif

/// Resident and peak resident memory of this process in MB, from /proc (Linux); 0 elsewhere.
func residentMegabytes() -> (current: Int, peak: Int) {
    #if os(Linux)
        guard let file = fopen("/proc/self/status", "r") else { return (0, 0) }
        defer { fclose(file) }
        var current = 0
        var peak = 0
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, 256, file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let kilobytes = Int(text.split(separator: " ").dropFirst().first ?? "") ?? 0
            if text.hasPrefix("VmRSS:") { current = kilobytes / 1024 }
            if text.hasPrefix("VmHWM:") { peak = kilobytes / 1024 }
        }
        return (current, peak)
    #else
        return (0, 0)
    #endif
}

func measure<T>(_ label: String, runs: Int, _ body: () throws -> T) rethrows {
    if let only, !label.contains(only) { return }
    let clock = ContinuousClock()
    var times: [Duration] = []
    for _ in 0..<runs {
        let start = clock.now
        let value = try body()
        times.append(clock.now - start)
        withExtendedLifetime(value) {}
    }
    times.sort()
    let median = times[times.count / 2]
    let best = times[0]
    func ms(_ d: Duration) -> String {
        let value = d.fractionalMilliseconds
        return value < 1 ? "\(Int(value * 1000)) µs" : "\((value * 100).rounded() / 100) ms"
    }
    print("\(label): median \(ms(median)), best \(ms(best)) (\(runs) runs)")
}

let arguments = CommandLine.arguments.dropFirst()
/// `--only TEXT`: measure only the phases and queries whose label contains TEXT.
let only = arguments.firstIndex(of: "--only").flatMap {
    arguments.index(after: $0) < arguments.endIndex ? arguments[arguments.index(after: $0)] : nil
}
let shape = arguments.contains("--million") ? DemoShape.million : DemoShape.demo
let runs = arguments.contains("--quick") ? 5 : 50
let clock = ContinuousClock()
var started = clock.now
let data = DemoData(shape: shape)
print(
    "generated \(data.users.count) users, \(data.edges.count) edges, \(data.rollups.count) rollup rows,",
    "\(data.registrations) registrations in \(clock.now - started); RSS \(residentMegabytes().current) MB")

let before = residentMegabytes().current
started = clock.now
var snapshot = try IndexSnapshot.build(
    roles: data.roles, users: data.users, edges: data.edges, rollups: data.rollups)
print(
    "first build \(clock.now - started); snapshot arrays ≈ \(snapshot.approximateByteCount >> 20) MB;",
    "RSS grew \(residentMegabytes().current - before) MB")
try measure("build", runs: 3) {
    try IndexSnapshot.build(
        roles: data.roles, users: data.users, edges: data.edges, rollups: data.rollups)
}

try measure("build streamed through IndexSnapshotBuilder", runs: 3) {
    var builder = IndexSnapshotBuilder(roles: data.roles, users: data.users, edges: data.edges)
    for rollup in data.rollups { builder.addRollup(rollup) }
    return try builder.build()
}

/// A change-log batch like a refresh interval's: mostly new registrations today and on the day after the span (new
/// rows and grown counts), some on older rows, a few deletes (-1 on distinct existing rows), all on random users.
func randomDeltas(_ count: Int) -> [RollupRow] {
    var random = SystemRandomNumberGenerator()
    var deltas: [RollupRow] = []
    var deleted = Set<Int>()
    while deltas.count < count {
        let existing = Int.random(in: data.rollups.indices, using: &random)
        switch Int.random(in: 0..<10, using: &random) {
        case 0:
            guard deleted.insert(existing).inserted else { continue }
            var row = data.rollups[existing]
            row.registrations = -1
            deltas.append(row)
        case 1, 2:
            var row = data.rollups[existing]
            row.registrations = Int64.random(in: 1...3, using: &random)
            deltas.append(row)
        default:
            deltas.append(
                RollupRow(
                    user: data.users.randomElement(using: &random)!.id,
                    day: data.lastDay.advanced(by: Int32.random(in: 0...1, using: &random)),
                    registrationType: DemoData.types.randomElement(using: &random)!,
                    channel: DemoData.channels.randomElement(using: &random)!, registrations: 1))
        }
    }
    return deltas
}
for count in [10, 1000, 10_000] {
    let deltas = randomDeltas(count)
    try measure("apply \(count) rollup deltas", runs: runs) {
        try snapshot.applying(rollupDeltas: deltas)
    }
}

let raj = data.raj
let rajSize = try snapshot.descendants(DescendantsQuery(root: raj, limit: 1)).total
print("Raj has \(rajSize) descendants; cycles: \(snapshot.cycles(CyclesQuery()).total)")
func window(_ days: Int32) -> RegistrationFilter {
    RegistrationFilter(from: data.lastDay.advanced(by: -(days - 1)), to: data.lastDay)
}
var narrow = window(45)
narrow.types = ["NEW"]
try measure("Descendants(Raj)", runs: runs) { try snapshot.descendants(DescendantsQuery(root: raj)) }
try measure("FilteredStats(Raj, 45 days, role VOLUNTEER + district D7 + type NEW, by day)", runs: runs) {
    try snapshot.filteredStats(
        FilteredStatsQuery(
            root: raj, userFilter: UserFilter(roles: ["VOLUNTEER"], districts: ["D7"]), registrations: narrow,
            groupBy: [.day]))
}
try measure("FilteredStats(Raj, 45 days, 2 roles + 350 districts + type NEW, by day)", runs: runs) {
    try snapshot.filteredStats(
        FilteredStatsQuery(
            root: raj, userFilter: UserFilter(roles: ["VOLUNTEER", "LEAD"], districts: (0..<350).map { "D\($0)" }),
            registrations: narrow, groupBy: [.day]))
}
try measure("FilteredStats(Raj, 90 days, no filters, by day and channel)", runs: runs) {
    try snapshot.filteredStats(FilteredStatsQuery(root: raj, groupBy: [.day, .channel]))
}
try measure("FilteredStats(Raj, all days, no filters, no grouping)", runs: runs) {
    try snapshot.filteredStats(FilteredStatsQuery(root: raj))
}
try measure("Leaderboard(all users, 30 days, tree_registrations)", runs: runs) {
    try snapshot.leaderboard(LeaderboardQuery(registrations: window(30)))
}
var newOnly = window(30)
newOnly.types = ["NEW"]
try measure("Leaderboard(all users, 30 days, type NEW, limit 1000)", runs: runs) {
    try snapshot.leaderboard(LeaderboardQuery(registrations: newOnly, limit: 1000))
}
try measure("Leaderboard(all users, no window, downline_size)", runs: runs) {
    try snapshot.leaderboard(LeaderboardQuery(metric: .downlineSize))
}
try measure("Leaderboard(within Raj, downline_role VOLUNTEER)", runs: runs) {
    try snapshot.leaderboard(LeaderboardQuery(metric: .downlineRole("VOLUNTEER"), within: raj))
}
try measure("Cycles", runs: runs) { snapshot.cycles(CyclesQuery()) }
try measure("FindUsers(prefix \"raj k\")", runs: runs) { try snapshot.findUsers(FindUsersQuery(namePrefix: "raj k")) }
print("peak RSS \(residentMegabytes().peak) MB (includes the generated input rows)")
