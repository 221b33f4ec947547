/// One numbered SQL migration from `schema/migrations`, compiled into the binary.
///
/// A file `0002_arbor_schema.sql` is version 2, named `arbor_schema`. Each runs in its own transaction and is
/// recorded in `arbor.schema_migrations` with a checksum of its text, so an edited migration is noticed.
public struct Migration: Sendable, Hashable, CustomStringConvertible {
    /// The number the file name starts with.
    public let version: Int
    /// The rest of the file name, without `.sql`.
    public let name: String
    /// The SQL text.
    public let sql: String
    /// FNV-1a (64-bit) of the SQL text, in hex: detects a migration changed after it was applied.
    public let checksum: String

    /// A migration from its file name (`NNNN_name.sql`) and text; `nil` when the name does not follow that form.
    public init?(fileName: String, sql: String) {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(4)
        guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]), version > 0 else {
            return nil
        }
        let name = stem[stem.index(after: underscore)...]
        guard !name.isEmpty else { return nil }
        self.version = version
        self.name = String(name)
        self.sql = sql
        self.checksum = Migration.fnv1a(sql)
    }

    /// `0002_arbor_schema`.
    public var description: String {
        let digits = String(self.version)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "_" + self.name
    }

    /// Every migration this binary knows, in version order. Numbers need not be contiguous; pending migrations are
    /// applied in version order, including one numbered below an already applied one.
    public static let all: [Migration] = {
        let migrations = MigrationCatalog.files.map { file in
            guard let migration = Migration(fileName: file.name, sql: String(decoding: file.bytes, as: UTF8.self))
            else { fatalError("migration file \(file.name) is not named NNNN_name.sql") }
            return migration
        }.sorted { $0.version < $1.version }
        // Gaps are allowed (branches reserve numbers); two files with one number are a build defect, which
        // MigrationFileTests catches before it ships.
        for (previous, next) in zip(migrations, migrations.dropFirst()) where previous.version == next.version {
            fatalError("migrations \(previous) and \(next) share version \(next.version)")
        }
        return migrations
    }()

    static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
