/// The migration files compiled into the binary (`resources: [.embedInCode("Migrations/SQL")]`, where
/// `Migrations/SQL` links to `schema/migrations`).
///
/// SwiftPM generates one `PackageResources` member per file but no list of them, so each file is named here once.
/// To add a migration: put `NNNN_name.sql` in `schema/migrations` and add its line below (the generated member is
/// the file name with every character that cannot start or continue an identifier replaced by `_`).
/// `MigrationTests.catalogListsEveryFile` fails when a file is missing here.
enum MigrationCatalog {
    static let files: [(name: String, bytes: [UInt8])] = [
        ("0001_application_tables.sql", PackageResources._001_application_tables_sql),
        ("0002_arbor_schema.sql", PackageResources._002_arbor_schema_sql),
        ("0003_query_indexes.sql", PackageResources._003_query_indexes_sql),
        ("0004_live_query_indexes.sql", PackageResources._004_live_query_indexes_sql),
        ("0008_roles_change_log.sql", PackageResources._008_roles_change_log_sql),
        ("0009_change_log_retention.sql", PackageResources._009_change_log_retention_sql),
        ("0010_rollup_packs.sql", PackageResources._010_rollup_packs_sql),
    ]
}
