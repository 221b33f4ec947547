import ArborCLIKit
import ArborClient
import ArgumentParser

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Find users whose names start with a prefix (ASCII case-insensitive).",
        discussion: "Example: arbor users Raj --limit 50")

    @Argument(help: "The start of the name.") var namePrefix: String
    @Option(help: "At most this many users (1–1000).") var limit: UInt32 = 20
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
    }

    func run() async throws {
        let session = try Session(global)
        try await session.run {
            let answer = try await session.client.users(
                namePrefix: namePrefix, limit: limit, freshness: session.options.freshness)
            session.emit(Renderers.users(answer, context: session.context()))
        }
    }
}

struct DescendantsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "descendants",
        abstract: "Stream a user's downline: everyone below them, by depth then id.",
        discussion: """
            Entries print as they arrive, with names looked up in batches.
            Example: arbor descendants "Raj Kumar" --max-depth 2 --role VOLUNTEER
            """)

    /// Chunks whose names are being looked up at once.
    static let lookupsInFlight = 4

    @Argument(help: "The root: a UUID or an exact name.") var user: String
    @Option(help: "Only this many levels down (0 = all).") var maxDepth: UInt32 = 0
    @Option(help: "Stop after this many entries (0 = all).") var limit: UInt32 = 0
    @Flag(help: "List the root first, at depth 0 (if it passes the filter).") var includeRoot = false
    @Flag(help: "Print ids only; skip looking up names.") var noNames = false
    @Flag(help: "Print only how many users match (the downline size when unfiltered).") var count = false
    @OptionGroup var filter: UserFilterOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try Session(global)
        try await session.run {
            let root = try await session.resolve(user, what: "the root")
            if count {
                // `total` counts matches before the limit, so one entry is enough to learn it.
                let query = DescendantsQuery(
                    root: root, maxDepth: maxDepth, filter: filter.filter, includeRoot: includeRoot, limit: 1)
                let (_, summary) = try await session.client.descendants(query, freshness: session.options.freshness)
                    .collect()
                let names = await session.users([root])
                session.emit(Renderers.descendantsCount(summary, root: root, context: session.context(users: names)))
                return
            }
            let query = DescendantsQuery(
                root: root, maxDepth: maxDepth, filter: filter.filter, includeRoot: includeRoot, limit: limit)
            let stream = try await session.client.descendants(query, freshness: session.options.freshness)
            let printer = DescendantsPrinter(format: session.options.format)
            let rootName = Task { noNames ? "" : await session.users([root])[root]?.name ?? "" }
            // Names for a few chunks are looked up at once while later chunks arrive; chunks print in order.
            var pending: [(batch: DescendantsBatch, names: Task<[UserID: UserRecord], Never>)] = []
            var printed = 0
            var headerShown = false
            func printOldest() async {
                let (batch, names) = pending.removeFirst()
                Output.write(printer.batch(batch.entries, users: await names.value, first: printed == 0))
                printed += batch.entries.count
            }
            var batches = stream.batches.makeAsyncIterator()
            while let batch = try await batches.next() {
                // The header waits for the first chunk, so that an error (say, NOT_FOUND) leaves stdout empty.
                if !headerShown {
                    Output.write(printer.header(root: root, rootName: await rootName.value))
                    headerShown = true
                }
                let ids = noNames ? [] : batch.entries.map(\.id)
                pending.append((batch, Task { ids.isEmpty ? [:] : await session.users(ids) }))
                if pending.count >= Self.lookupsInFlight { await printOldest() }
                if let summary = batch.summary {
                    while !pending.isEmpty { await printOldest() }
                    session.emit(
                        printer.footer(
                            summary, printed: printed, anyPrinted: printed > 0,
                            nowUnixMilliseconds: Session.nowUnixMilliseconds))
                    return
                }
            }
            throw CLIError(.failed, "the server ended the Descendants stream without its summary")
        }
    }
}

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Registration counts over a user and their downline, optionally grouped.",
        discussion: """
            Dimensions for --group-by: day, role, user, state, district, block, village, type, channel.
            Example: arbor stats "Raj Kumar" --from 2026-01-01 --to 2026-01-31 --group-by day,role --channel app
            """)

    @Argument(help: "The root: a UUID or an exact name.") var user: String
    @Option(help: ArgumentHelp("Group rows by these dimensions, in order.", valueName: "dim,dim…"))
    var groupBy: String?
    @Flag(help: "Leave the root out of the scope.") var excludeRoot = false
    @Option(help: "Only this many levels down (0 = all).") var maxDepth: UInt32 = 0
    @OptionGroup var filter: UserFilterOptions
    @OptionGroup var registrations: RegistrationOptions
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        _ = try registrations.filter()
        if let groupBy { _ = try OptionParsing.dimensions(groupBy) }
    }

    func run() async throws {
        let session = try Session(global)
        try await session.run {
            let root = try await session.resolve(user, what: "the root")
            let dimensions = try groupBy.map { text throws(CLIError) in try OptionParsing.dimensions(text) } ?? []
            let query = FilteredStatsQuery(
                root: root, excludeRoot: excludeRoot, maxDepth: maxDepth, userFilter: filter.filter,
                registrations: try registrations.filter(), groupBy: dimensions)
            let answer = try await session.client.filteredStats(query, freshness: session.options.freshness)
            var ids: Set<UserID> = [root]
            if let column = dimensions.firstIndex(of: .user) {
                for row in answer.value.rows { if let id = UserID(uuidString: row.keys[column]) { ids.insert(id) } }
            }
            let names = await session.users(ids)
            session.emit(
                Renderers.stats(answer, root: root, groupBy: dimensions, context: session.context(users: names)))
        }
    }
}

struct LeaderboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaderboard",
        abstract: "Rank users by a metric over their downline.",
        discussion: """
            Metrics: tree (registrations by the downline), self (own registrations), children (direct children),
            downline (downline size), role:NAME (downline members with role NAME).
            Example: arbor leaderboard --metric role:DPOC --within "Raj Kumar" --from 2026-01-01 --limit 10
            """)

    @Option(help: ArgumentHelp("tree, self, children, downline or role:NAME.", valueName: "metric"))
    var metric: String = "tree"
    @Flag(help: "Smallest first.") var ascending = false
    @Option(help: ArgumentHelp("Rank only this user's descendants (UUID or exact name).", valueName: "user"))
    var within: String?
    @Option(help: "Rows per page (1–1000).") var limit: UInt32 = 50
    @Option(help: "Skip this many ranked users.") var offset: UInt32 = 0
    @OptionGroup var filter: UserFilterOptions
    @OptionGroup var registrations: RegistrationOptions
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard OptionParsing.metric(metric) != nil else {
            throw ValidationError("--metric must be tree, self, children, downline or role:NAME (got '\(metric)')")
        }
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
        _ = try registrations.filter()
    }

    func run() async throws {
        let session = try Session(global)
        try await session.run {
            let metric = OptionParsing.metric(metric)!
            let withinID = try await within.asyncMap { try await session.resolve($0, what: "--within") }
            let query = LeaderboardQuery(
                metric: metric, ascending: ascending, filter: filter.filter, within: withinID,
                registrations: try registrations.filter(), limit: limit, offset: offset)
            let answer = try await session.client.leaderboard(query, freshness: session.options.freshness)
            session.emit(Renderers.leaderboard(answer, metric: metric, context: session.context()))
        }
    }
}

struct CyclesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cycles",
        abstract: "List groups of users that reach each other (data errors to repair), largest first.",
        discussion: "Example: arbor cycles --limit 10")

    @Option(help: "At most this many cycles (0 = all).") var limit: UInt32 = 0
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try Session(global)
        try await session.run {
            let answer = try await session.client.cycles(
                CyclesQuery(limit: limit), freshness: session.options.freshness)
            let names = await session.users(answer.value.cycles.joined())
            session.emit(Renderers.cycles(answer, context: session.context(users: names)))
        }
    }
}

struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Ask whether the server is serving (exit 0) or not yet (exit 3).",
        discussion: "Example: until arbor health; do sleep 1; done")

    @Option(help: "The service name to check ('' = the whole server).") var service: String = ""
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let session = try Session(global)
        try await session.run {
            let status = try await session.client.health(service: service)
            session.emit(Renderers.health(status, format: session.options.format))
            if status != .serving {
                throw CLIError(.unavailable, "the server is \(status), not SERVING")
            }
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
