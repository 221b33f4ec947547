import ArborClient

/// A user as given on the command line: a UUID, or an exact name to look up.
public enum UserReference: Hashable, Sendable {
    case id(UserID)
    case name(String)

    /// A canonical UUID is an id; anything else non-empty is a name.
    public init?(_ text: String) {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { return nil }
        if let id = UserID(uuidString: trimmed) { self = .id(id) } else { self = .name(trimmed) }
    }
}

/// The outcome of resolving a name among the users whose names start with it.
public enum NameResolution: Hashable, Sendable {
    case unique(UserRecord)
    case ambiguous([UserRecord])
    case notFound

    /// Exact (byte-equal) matches win; without any, names equal ignoring ASCII case count. One match resolves,
    /// several are ambiguous, none is not found.
    public static func resolve(_ name: String, among candidates: [UserRecord]) -> NameResolution {
        var matches = candidates.filter { $0.name == name }
        if matches.isEmpty {
            let folded = asciiLowercased(name)
            matches = candidates.filter { asciiLowercased($0.name) == folded }
        }
        switch matches.count {
        case 0: return .notFound
        case 1: return .unique(matches[0])
        default: return .ambiguous(matches.sorted { $0.id < $1.id })
        }
    }

    static func asciiLowercased(_ text: String) -> [UInt8] {
        text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
    }
}

/// Resolves ``UserReference``s with `FindUsers`.
public struct UserResolver: Sendable {
    /// How many prefix matches are fetched to look for the exact name among them.
    public static let candidateLimit: UInt32 = 1000

    let client: ArborClient
    let freshness: Freshness
    let timeout: Duration?

    /// Resolves with `client`, asking with `freshness` and `timeout`.
    public init(client: ArborClient, freshness: Freshness, timeout: Duration?) {
        self.client = client
        self.freshness = freshness
        self.timeout = timeout
    }

    /// The user's id and, when known, record. An id is passed through unchecked (the server says NOT_FOUND).
    ///
    /// - Throws: ``CLIError`` with ``CLIExitCode/invalidOrNotFound`` for an unknown name and
    ///   ``CLIExitCode/ambiguousName`` (listing id, name, role, district of each candidate) for an ambiguous one.
    public func resolve(_ reference: UserReference, what: String) async throws -> UserID {
        switch reference {
        case .id(let id):
            return id
        case .name(let name):
            let candidates: [UserRecord]
            do {
                candidates = try await client.users(
                    namePrefix: name, limit: Self.candidateLimit, freshness: freshness, timeout: timeout
                ).value
            } catch {
                throw CLIError(error, server: client.server)
            }
            switch NameResolution.resolve(name, among: candidates) {
            case .unique(let user):
                return user.id
            case .notFound:
                throw CLIError(.invalidOrNotFound, Self.notFoundMessage(name: name, what: what, candidates: candidates))
            case .ambiguous(let users):
                throw CLIError(.ambiguousName, Self.ambiguityMessage(name: name, what: what, users: users))
            }
        }
    }

    /// The error text for an unknown name, with up to five names that start with it.
    public static func notFoundMessage(name: String, what: String, candidates: [UserRecord]) -> String {
        var message = "no user named '\(name)' (\(what))"
        if !candidates.isEmpty {
            var names: [String] = []
            for candidate in candidates where !names.contains(candidate.name) && names.count < 5 {
                names.append(candidate.name)
            }
            message += "; names starting so: " + names.map { "'\($0)'" }.joined(separator: ", ")
            if candidates.count > names.count { message += ", …" }
        }
        return message
    }

    /// The error text for an ambiguous name: one aligned line per candidate.
    public static func ambiguityMessage(name: String, what: String, users: [UserRecord]) -> String {
        let table = TextTable(
            columns: [.init("ID"), .init("NAME"), .init("ROLE"), .init("DISTRICT")],
            rows: users.map { [$0.id.uuidString, $0.name, $0.role, $0.district] })
        return "'\(name)' (\(what)) names \(users.count) users; give one by id:\n"
            + table.render().map { "  " + $0 }.joined(separator: "\n")
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
