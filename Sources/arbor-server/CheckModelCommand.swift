import ArborModel
import ArborModelFile
import ArborStore
import ArgumentParser
import Foundation
import Logging

/// `arbor-server check-model`: reads a model file, checks it against the database's catalog, prints what it found
/// and every problem with its line.
struct CheckModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-model",
        abstract: "Check a model file against the database: tables, columns, types, names.",
        discussion: """
            Reads the model (YAML) that maps Arbor's nodes, hierarchy and events onto your own tables, checks its \
            names and shape, then looks up every table and column it names in PostgreSQL's catalog. Prints what it \
            found, then each problem as FILE:LINE: MESSAGE. Exits 0 when the model can be served, 1 when it has \
            problems, 2 when the database cannot be reached. Without --model (or ARBOR_MODEL) the built-in war-story model is checked.

            Example: arbor-server check-model --model /etc/arbor/arbor.yaml --database-url postgresql://arbor@db/org
            """)

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var model: ModelOption

    func run() async throws {
        let loaded = try model.load()
        print("model: \(loaded.file)")
        describe(loaded.model)

        let client = PostgresClient(
            configuration: try database.configuration(), maxConnections: 1, logger: Logger(label: "arbor.check-model"))
        let report: ModelCatalog.Report
        do {
            report = try await client.withConnection { connection in
                try ModelCatalog.check(loaded.model, on: connection, line: { loaded.line(of: $0) })
            }
        } catch {
            await client.shutdown()
            let detail = (error as? StoreError)?.message ?? "\(error)"
            FileHandle.standardError.write(Data("check-model: cannot read the database's catalog: \(detail)\n".utf8))
            throw ExitCode(2)
        }
        await client.shutdown()
        print("catalog:")
        for line in report.found { print("  \(line)") }
        if let idKind = report.idKind { print("  node ids: \(idKind.rawValue)") }
        guard report.problems.isEmpty else {
            printProblems(
                ModelProblems(file: loaded.file, problems: report.problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
                    .description)
            throw ExitCode(1)
        }
        print("check-model: the model can be served")
    }

    private func describe(_ model: DataModel) {
        print("  time zone: \(model.timeZone)")
        print("  nodes: \(model.nodes.table) (id \(model.nodes.id)\(model.nodes.label.map { ", label \($0)" } ?? ""))")
        for attribute in model.nodes.attributes {
            let closed = attribute.valuesFrom.map { ", values from \($0)" } ?? ""
            print("    attribute \(attribute.name): column \(attribute.column)\(closed)")
        }
        switch model.hierarchy {
        case .edges(let table, let parent, let child): print("  hierarchy: edges \(table) (\(parent) → \(child))")
        case .parentColumn(let column): print("  hierarchy: parent column \(model.nodes.table).\(column)")
        }
        for source in model.sources {
            print("  events \(source.name): \(source.table) (node \(source.node), time \(source.time))")
            if !source.dimensions.isEmpty { print("    dimensions: \(source.dimensions.joined(separator: ", "))") }
            let measures =
                ["count"]
                + source.measures.map { measure in
                    "\(measure.name) = sum(\(measure.column))\(measure.scale.map { " × 10^\($0)" } ?? "")"
                }
            print("    measures: \(measures.joined(separator: ", "))")
        }
    }

    private func printProblems(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
