import ArborModel
import ArborModelFile
import Foundation
import Testing

@Suite struct ModelFileTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func theShippedDemoModelIsTheBuiltInOne() throws {
        let path = Self.repository.appendingPathComponent("examples/war-story/arbor.yaml").path
        let loaded = try ModelFile.read(contentsOf: path)
        #expect(loaded.model == DataModel.demo)
        #expect(loaded.line(of: "nodes.table") == 5)
        #expect(loaded.line(of: "nodes.attributes.role.values_from") == 9)
        #expect(loaded.line(of: "events.registrations.dimensions.channel") == 23)
    }

    @Test func theBuiltInModelIsTheExampleFileByteForByte() throws {
        let path = Self.repository.appendingPathComponent("examples/war-story/arbor.yaml")
        let file = try Data(contentsOf: path)
        #expect(Array(ModelFile.warStoryText.utf8) == Array(file))
        let builtIn = ModelFile.Loaded.demo
        #expect(builtIn.model == DataModel.demo)
        #expect(builtIn.line(of: "events.registrations.dimensions.channel") == 23)
    }

    @Test func aParentColumnModelWithSumsReads() throws {
        let loaded = try ModelFile.parse(
            """
            nodes:
              table: hr.employees
              id: emp_no
              attributes:
                dept: dept
                grade: { column: grade }
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
            """)
        let model = loaded.model
        #expect(model.timeZone == "UTC")
        #expect(model.nodes.table == DataModel.TableName(schema: "hr", name: "employees"))
        #expect(model.nodes.label == nil)
        #expect(model.nodes.attributes.map(\.name) == ["dept", "grade"])
        #expect(model.hierarchy == .parentColumn("manager_no"))
        #expect(model.sources.first?.table == DataModel.TableName(name: "sales"))
        #expect(
            model.sources.first?.measures == [
                DataModel.Measure(name: "amount", column: "amount", scale: 2),
                DataModel.Measure(name: "units", column: "units"),
            ])
    }

    struct Bad: Sendable, CustomStringConvertible {
        var description: String
        var yaml: String
        var line: Int?
        var message: String
    }

    static let minimal = """
        nodes:
          table: t
          id: id
        hierarchy:
          parent: p

        """

    static let bad: [Bad] = [
        Bad(
            description: "both hierarchy forms",
            yaml: "nodes: {table: t, id: id}\nhierarchy:\n  parent: p\n  edges: {table: e, parent: a, child: b}\n",
            line: 3, message: "hierarchy: give exactly one of edges and parent, not both"),
        Bad(
            description: "no hierarchy form", yaml: "nodes: {table: t, id: id}\nhierarchy: {}\n", line: 2,
            message: "hierarchy: give edges: {table, parent, child} or parent: COLUMN"),
        Bad(
            description: "reserved attribute name",
            yaml: "nodes:\n  table: t\n  id: id\n  attributes:\n    week: w\nhierarchy: {parent: p}\n", line: 5,
            message:
                "nodes.attributes.week: \"week\" is reserved (count, day, label, month, node, week); choose another attribute name"
        ),
        Bad(
            description: "invalid attribute name",
            yaml: "nodes:\n  table: t\n  id: id\n  attributes:\n    Role: r\nhierarchy: {parent: p}\n", line: 5,
            message:
                "nodes.attributes.Role: \"Role\" is not a valid attribute name (lower-case letters, digits and _, starting with a letter)"
        ),
        Bad(
            description: "duplicate attribute",
            yaml: "nodes:\n  table: t\n  id: id\n  attributes:\n    role: r\n    role: q\nhierarchy: {parent: p}\n",
            line: 5, message: "duplicate"),
        Bad(
            description: "dimension that is also an attribute",
            yaml: minimal.replacingOccurrences(of: "  id: id\n", with: "  id: id\n  attributes: {channel: c}\n")
                + "events:\n  sales:\n    table: s\n    node: n\n    time: t\n    dimensions: [channel]\n",
            line: 12,
            message:
                "events.sales.dimensions: channel is also an attribute (nodes.attributes.channel, line 4); attribute and dimension names must differ"
        ),
        Bad(
            description: "values_from that is not a column",
            yaml:
                "nodes:\n  table: t\n  id: id\n  attributes:\n    role: {column: r, values_from: roles}\nhierarchy: {parent: p}\n",
            line: 5,
            message:
                "nodes.attributes.role.values_from: \"roles\" is not a column; write schema.table.column or table.column"
        ),
        Bad(
            description: "unknown time zone", yaml: "time_zone: Mars/Olympus\n" + minimal, line: 1,
            message: "time_zone: \"Mars/Olympus\" is not an IANA time zone name (e.g. UTC, Asia/Kolkata)"),
        Bad(
            description: "missing id", yaml: "nodes:\n  table: t\nhierarchy: {parent: p}\n", line: 1,
            message: "nodes.id: missing"),
        Bad(
            description: "count declared as a measure",
            yaml: minimal
                + "events:\n  s:\n    table: s\n    node: n\n    time: t\n    measures:\n      count: {sum: c}\n",
            line: 12, message: "events.s.measures.count: count always exists and needs no declaration"),
        Bad(
            description: "scale out of range",
            yaml: minimal
                + "events:\n  s:\n    table: s\n    node: n\n    time: t\n    measures:\n      amount: {sum: a, scale: 40}\n",
            line: 12, message: "events.s.measures.amount.scale: must be a whole number from 0 to 18"),
        Bad(
            description: "unknown key", yaml: minimal + "event:\n  s: {}\n", line: 6,
            message: "the model: unknown key \"event\" (expected events, hierarchy, nodes, time_zone)"),
        Bad(
            description: "bad table name", yaml: "nodes:\n  table: a.b.c\n  id: id\nhierarchy: {parent: p}\n", line: 2,
            message: "nodes.table: \"a.b.c\" is not a table name; write schema.table or table"),
        Bad(description: "not YAML", yaml: "nodes: [\n", line: 2, message: "not valid YAML"),
    ]

    @Test(arguments: bad) func aBadModelNamesTheProblemAndItsLine(_ bad: Bad) {
        do {
            _ = try ModelFile.parse(bad.yaml, file: "m.yaml")
            Issue.record("accepted: \(bad.yaml)")
        } catch {
            let match = error.problems.first { $0.message.contains(bad.message) }
            #expect(match != nil, "\(error.problems)")
            #expect(match?.line == bad.line, "\(error.problems)")
            #expect(error.description.contains("m.yaml:"))
        }
    }
}
