import ArborModel
import ArborModelFile
import ArborStore
import ArborTestSupport
import Testing

/// The model checked against a real catalog: an organisation's own tables under its own names.
@Suite struct ModelCatalogTests {
    static let schema = """
        CREATE SCHEMA hr;
        CREATE TYPE hr.grade AS ENUM ('junior', 'senior', 'lead');
        CREATE TABLE hr.employees (emp_no bigint PRIMARY KEY, manager_no bigint, name text, dept varchar(20),
            grade hr.grade, remote boolean, level smallint, photo bytea, hired_at timestamptz);
        CREATE TABLE hr.depts (name text PRIMARY KEY);
        CREATE TABLE sales (sale_id bigserial, emp_no bigint, sold_at timestamptz, sold_on date, amount numeric(12,2),
            units integer, product text, note jsonb, seller uuid);
        """

    static func createSchema(_ client: PostgresClient) async throws {
        try await client.withConnection { connection in
            for statement in schema.split(separator: ";") where !statement.allSatisfy(\.isWhitespace) {
                try connection.execute(String(statement))
            }
        }
    }

    static let good = """
        time_zone: Europe/Berlin
        nodes:
          table: hr.employees
          id: emp_no
          label: name
          attributes:
            dept: { column: dept, values_from: hr.depts.name }
            grade: grade
            remote: remote
            level: level
        hierarchy:
          parent: manager_no
        events:
          sales:
            table: sales
            node: emp_no
            time: sold_at
            dimensions: [product]
            measures:
              amount: { sum: amount, scale: 2 }
              units: { sum: units }
          hires:
            table: hr.employees
            node: emp_no
            time: hired_at
        """

    @Test func anOrganisationsOwnTablesPassAndTheReportSaysWhatWasFound() async throws {
        try await TestDatabase.withClient { client in
            try await Self.createSchema(client)
            let loaded = try ModelFile.parse(Self.good)
            let report = try await client.withConnection { connection in
                try ModelCatalog.check(loaded.model, on: connection, line: { loaded.line(of: $0) })
            }
            #expect(report.problems == [])
            #expect(report.idKind == .integer)
            let resolved = try #require(report.resolved)
            #expect(resolved.idType == .integer(.int64))
            #expect(
                resolved.attributes == [
                    ResolvedModel.Attribute(name: "dept", column: "dept", type: .text, closed: true),
                    ResolvedModel.Attribute(name: "grade", column: "grade", type: .text, closed: false),
                    ResolvedModel.Attribute(name: "remote", column: "remote", type: .boolean, closed: false),
                    ResolvedModel.Attribute(name: "level", column: "level", type: .integer(.int16), closed: false),
                ])
            #expect(resolved.sources.map(\.name) == ["sales", "hires"])
            #expect(resolved.sources[0].dimensions == [ResolvedModel.Dimension(name: "product", type: .text)])
            #expect(
                resolved.sources[0].measures == [
                    ResolvedModel.Measure(name: "count", column: nil, scale: 0),
                    ResolvedModel.Measure(name: "amount", column: "amount", scale: 2),
                    ResolvedModel.Measure(name: "units", column: "units", scale: 0),
                ])
            #expect(resolved.sources[1].measures.map(\.name) == ["count"])
            #expect(report.found.contains("  nodes.attributes.grade: hr.employees.grade hr.grade"))
            #expect(report.found.contains("  events.sales.measures.amount: public.sales.amount numeric(12,2)"))
        }
    }

    struct Bad: Sendable, CustomStringConvertible {
        var description: String
        var replace: String
        var with: String
        var line: Int
        var message: String
    }

    static let bad: [Bad] = [
        Bad(
            description: "missing table", replace: "table: sales", with: "table: sale", line: 15,
            message: "events.sales.table: no table or view public.sale"),
        Bad(
            description: "missing column", replace: "time: sold_at", with: "time: sold", line: 17,
            message: "events.sales.time: public.sales has no column \"sold\""),
        Bad(
            description: "unsupported attribute type", replace: "level: level", with: "level: photo", line: 10,
            message:
                "nodes.attributes.level: hr.employees.photo is bytea; an attribute must be boolean, enum, integer, text"
        ),
        Bad(
            description: "node column of another type than the id", replace: "node: emp_no\n    time: sold_at",
            with: "node: seller\n    time: sold_at", line: 16,
            message:
                "events.sales.node: public.sales.seller is uuid; a column naming nodes (the id column is bigint) must be integer"
        ),
        Bad(
            description: "numeric sum without a scale", replace: "{ sum: amount, scale: 2 }", with: "{ sum: amount }",
            line: 20, message: "events.sales.measures.amount: public.sales.amount is numeric(12,2); give scale: N"),
        Bad(
            description: "summing text", replace: "{ sum: units }", with: "{ sum: product }", line: 21,
            message:
                "events.sales.measures.units: public.sales.product is text; a summed column must be integer, numeric"),
        Bad(
            description: "a time that is not a time", replace: "time: hired_at", with: "time: level", line: 25,
            message:
                "events.hires.time: hr.employees.level is smallint; an event time must be date, timestamp, timestamptz"),
        Bad(
            description: "values_from in a missing table", replace: "hr.depts.name", with: "hr.departments.name",
            line: 7, message: "nodes.attributes.dept.values_from: no table or view hr.departments"),
        Bad(
            description: "a dimension of an unsupported type", replace: "dimensions: [product]",
            with: "dimensions: [note]",
            line: 18, message: "events.sales.dimensions.note: public.sales.note is jsonb; a dimension must be"),
    ]

    @Test(arguments: bad) func eachProblemNamesItsLine(_ bad: Bad) async throws {
        try await TestDatabase.withClient { client in
            try await Self.createSchema(client)
            #expect(Self.good.contains(bad.replace))
            let loaded = try ModelFile.parse(Self.good.replacingOccurrences(of: bad.replace, with: bad.with))
            let report = try await client.withConnection { connection in
                try ModelCatalog.check(loaded.model, on: connection, line: { loaded.line(of: $0) })
            }
            let match = report.problems.first { $0.message.contains(bad.message) }
            #expect(match != nil, "\(report.problems)")
            #expect(match?.line == bad.line, "\(report.problems)")
            #expect(report.problems.count == 1, "\(report.problems)")
            #expect(report.resolved == nil)
        }
    }
}
