public import ArborModel
internal import Foundation
internal import Yams

/// Reads a model file (YAML) into a ``DataModel``, checking everything that needs no database: the shape of the
/// file, names, reserved and repeated names, the hierarchy form, measures, the time zone. Every problem carries
/// the line it was found on, and all of them are reported together.
///
/// ```swift
/// let loaded = try ModelFile.read(contentsOf: "arbor.yaml")
/// print(loaded.model.nodes.table)        // public.users
/// print(loaded.line(of: "nodes.table"))  // 3
/// ```
public enum ModelFile {
    /// A model and where in its file each part was declared, so later checks (the catalog) can name lines.
    public struct Loaded: Hashable, Sendable {
        public var model: DataModel
        /// The file's path, for messages.
        public var file: String
        /// Line of each declared key, by path: `nodes.table`, `nodes.attributes.role.column`,
        /// `events.registrations.measures.amount`, …
        public var lines: [String: Int]

        public init(model: DataModel, file: String, lines: [String: Int]) {
            self.model = model
            self.file = file
            self.lines = lines
        }

        /// The line of `path`, or of its nearest declared ancestor.
        public func line(of path: String) -> Int? {
            var path = path
            while true {
                if let line = lines[path] { return line }
                guard let dot = path.lastIndex(of: ".") else { return nil }
                path = String(path[..<dot])
            }
        }

        /// The built-in model: the war-story demo's (``ModelFile/warStoryText``), with its lines.
        public static let demo: Loaded = {
            do {
                return try ModelFile.parse(warStoryText, file: "(built-in war-story model)")
            } catch {
                // The text is a constant that a test reads, and that test also compares it with the example file.
                preconditionFailure("the built-in war-story model does not read: \(error)")
            }
        }()
    }

    /// Reads and checks the file at `path`.
    ///
    /// - Throws: ``ModelProblems`` naming every problem with its line; a file that cannot be read is one problem.
    public static func read(contentsOf path: String) throws(ModelProblems) -> Loaded {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ModelProblems(file: path, problems: [ModelProblem(line: nil, "cannot read the model file: \(error)")])
        }
        return try parse(text, file: path)
    }

    /// Reads and checks a model from its YAML text.
    public static func parse(_ text: String, file: String = "arbor.yaml") throws(ModelProblems) -> Loaded {
        var reader = ModelReader(file: file)
        let model = reader.read(text)
        guard let model, reader.problems.isEmpty else {
            throw ModelProblems(file: file, problems: reader.problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
        }
        return Loaded(model: model, file: file, lines: reader.lines)
    }
}

/// Walks the YAML tree, collecting the model, its lines and its problems.
private struct ModelReader {
    let file: String
    var problems: [ModelProblem] = []
    var lines: [String: Int] = [:]

    init(file: String) {
        self.file = file
    }

    mutating func read(_ text: String) -> DataModel? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            problems.append(ModelProblem(line: Self.line(of: error), "not valid YAML: \(error)"))
            return nil
        } catch {
            problems.append(ModelProblem(line: nil, "not valid YAML: \(error)"))
            return nil
        }
        guard let root, let top = mapping(root, path: "", expected: "the model") else {
            if root == nil { problems.append(ModelProblem(line: nil, "the model file is empty")) }
            return nil
        }
        let known: Set<String> = ["time_zone", "nodes", "hierarchy", "events"]
        rejectUnknownKeys(top, known: known, in: "the model")

        var timeZone = "UTC"
        if let node = top["time_zone"] {
            if let zone = scalar(node, path: "time_zone") {
                if TimeZone(identifier: zone) == nil {
                    problem(node, "time_zone: \"\(zone)\" is not an IANA time zone name (e.g. UTC, Asia/Kolkata)")
                } else {
                    timeZone = zone
                }
            }
        }
        let nodes = top["nodes"].flatMap { readNodes($0) }
        if top["nodes"] == nil {
            problems.append(ModelProblem(line: 1, "nodes: missing (the table of nodes and its id column)"))
        }
        let hierarchy = top["hierarchy"].flatMap { readHierarchy($0) }
        if top["hierarchy"] == nil {
            problems.append(
                ModelProblem(line: 1, "hierarchy: missing (give edges: {table, parent, child} or parent: COLUMN)"))
        }
        let sources = top["events"].map { readSources($0) } ?? []
        checkNames(nodes: nodes, sources: sources)
        guard let nodes, let hierarchy else { return nil }
        return DataModel(timeZone: timeZone, nodes: nodes, hierarchy: hierarchy, sources: sources)
    }

    // MARK: Sections

    private mutating func readNodes(_ node: Node) -> DataModel.Nodes? {
        guard let map = mapping(node, path: "nodes", expected: "nodes") else { return nil }
        rejectUnknownKeys(map, known: ["table", "id", "label", "attributes"], in: "nodes")
        let table = requiredTable(map, "table", path: "nodes.table")
        let id = requiredColumn(map, "id", path: "nodes.id")
        let label = map["label"].flatMap { column($0, path: "nodes.label") }
        var attributes: [DataModel.Attribute] = []
        if let attributesNode = map["attributes"],
            let entries = mapping(attributesNode, path: "nodes.attributes", expected: "attributes")
        {
            for (key, value) in entries {
                guard let name = scalar(key, path: "nodes.attributes") else { continue }
                let path = "nodes.attributes.\(name)"
                record(path, key)
                // Shorthand `role: role_column` or the full `{ column: …, values_from: … }`.
                if let columnName = value.scalar?.string, !value.isNull {
                    if let column = checkedColumn(columnName, node: value, path: path) {
                        attributes.append(DataModel.Attribute(name: name, column: column))
                    }
                    continue
                }
                guard let spec = mapping(value, path: path, expected: "attribute \(name)") else { continue }
                rejectUnknownKeys(spec, known: ["column", "values_from"], in: path)
                let column = requiredColumn(spec, "column", path: "\(path).column")
                var valuesFrom: DataModel.ColumnReference?
                if let from = spec["values_from"], let text = scalar(from, path: "\(path).values_from") {
                    record("\(path).values_from", from)
                    valuesFrom = DataModel.ColumnReference(parsing: text)
                    if valuesFrom == nil {
                        problem(
                            from,
                            "\(path).values_from: \"\(text)\" is not a column; write schema.table.column or table.column"
                        )
                    }
                }
                if let column {
                    attributes.append(DataModel.Attribute(name: name, column: column, valuesFrom: valuesFrom))
                }
            }
        }
        guard let table, let id else { return nil }
        return DataModel.Nodes(table: table, id: id, label: label, attributes: attributes)
    }

    private mutating func readHierarchy(_ node: Node) -> DataModel.HierarchyMapping? {
        guard let map = mapping(node, path: "hierarchy", expected: "hierarchy") else { return nil }
        rejectUnknownKeys(map, known: ["edges", "parent"], in: "hierarchy")
        switch (map["edges"], map["parent"]) {
        case (let edges?, nil):
            guard let spec = mapping(edges, path: "hierarchy.edges", expected: "edges") else { return nil }
            rejectUnknownKeys(spec, known: ["table", "parent", "child"], in: "hierarchy.edges")
            let table = requiredTable(spec, "table", path: "hierarchy.edges.table")
            let parent = requiredColumn(spec, "parent", path: "hierarchy.edges.parent")
            let child = requiredColumn(spec, "child", path: "hierarchy.edges.child")
            guard let table, let parent, let child else { return nil }
            return .edges(table: table, parent: parent, child: child)
        case (nil, let parent?):
            guard let column = column(parent, path: "hierarchy.parent") else { return nil }
            return .parentColumn(column)
        case (.some, .some):
            problem(node, "hierarchy: give exactly one of edges and parent, not both")
            return nil
        case (nil, nil):
            problem(node, "hierarchy: give edges: {table, parent, child} or parent: COLUMN")
            return nil
        }
    }

    private mutating func readSources(_ node: Node) -> [DataModel.EventSource] {
        if node.isNull { return [] }
        guard let map = mapping(node, path: "events", expected: "events") else { return [] }
        var sources: [DataModel.EventSource] = []
        for (key, value) in map {
            guard let name = scalar(key, path: "events") else { continue }
            let path = "events.\(name)"
            record(path, key)
            guard let spec = mapping(value, path: path, expected: "event source \(name)") else { continue }
            rejectUnknownKeys(spec, known: ["table", "node", "time", "dimensions", "measures"], in: path)
            let table = requiredTable(spec, "table", path: "\(path).table")
            let nodeColumn = requiredColumn(spec, "node", path: "\(path).node")
            let time = requiredColumn(spec, "time", path: "\(path).time")
            var dimensions: [String] = []
            if let list = spec["dimensions"] {
                record("\(path).dimensions", list)
                if let sequence = list.sequence {
                    for item in sequence {
                        guard let dimension = scalar(item, path: "\(path).dimensions") else { continue }
                        record("\(path).dimensions.\(dimension)", item)
                        if checkedColumn(dimension, node: item, path: "\(path).dimensions") != nil {
                            dimensions.append(dimension)
                        }
                    }
                } else if !list.isNull {
                    problem(list, "\(path).dimensions: must be a list of column names, e.g. [channel, product]")
                }
            }
            var measures: [DataModel.Measure] = []
            if let measuresNode = spec["measures"], !measuresNode.isNull,
                let entries = mapping(measuresNode, path: "\(path).measures", expected: "measures")
            {
                for (measureKey, measureValue) in entries {
                    guard let measureName = scalar(measureKey, path: "\(path).measures") else { continue }
                    let measurePath = "\(path).measures.\(measureName)"
                    record(measurePath, measureKey)
                    if measureName == "count" {
                        problem(measureKey, "\(measurePath): count always exists and needs no declaration")
                        continue
                    }
                    guard let measureSpec = mapping(measureValue, path: measurePath, expected: "measure \(measureName)")
                    else { continue }
                    rejectUnknownKeys(measureSpec, known: ["sum", "scale"], in: measurePath)
                    let column = requiredColumn(measureSpec, "sum", path: "\(measurePath).sum")
                    var scale: Int?
                    if let scaleNode = measureSpec["scale"] {
                        record("\(measurePath).scale", scaleNode)
                        if let value = scaleNode.int, (0...18).contains(value) {
                            scale = value
                        } else {
                            problem(scaleNode, "\(measurePath).scale: must be a whole number from 0 to 18")
                        }
                    }
                    if let column {
                        measures.append(DataModel.Measure(name: measureName, column: column, scale: scale))
                    }
                }
            }
            guard let table, let nodeColumn, let time else { continue }
            sources.append(
                DataModel.EventSource(
                    name: name, table: table, node: nodeColumn, time: time, dimensions: dimensions, measures: measures))
        }
        return sources
    }

    // MARK: Names across the model

    private mutating func checkNames(nodes: DataModel.Nodes?, sources: [DataModel.EventSource]) {
        var attributeNames: [String: String] = [:]
        for attribute in nodes?.attributes ?? [] {
            let path = "nodes.attributes.\(attribute.name)"
            checkName(attribute.name, path: path, kind: "attribute")
            attributeNames[attribute.name] = path
        }
        var sourceNames = Set<String>()
        for source in sources {
            let path = "events.\(source.name)"
            checkName(source.name, path: path, kind: "event source")
            if !sourceNames.insert(source.name).inserted {
                problems.append(
                    ModelProblem(line: lines[path], "\(path): the event source \(source.name) is declared twice"))
            }
            var dimensionNames = Set<String>()
            for dimension in source.dimensions {
                let dimensionPath = "\(path).dimensions.\(dimension)"
                checkName(dimension, path: dimensionPath, kind: "dimension")
                if !dimensionNames.insert(dimension).inserted {
                    problems.append(
                        ModelProblem(line: lines[dimensionPath], "\(path).dimensions: \(dimension) is listed twice"))
                }
                if let attributePath = attributeNames[dimension] {
                    problems.append(
                        ModelProblem(
                            line: lines[dimensionPath],
                            "\(path).dimensions: \(dimension) is also an attribute (\(attributePath), line "
                                + "\(lines[attributePath].map(String.init) ?? "?")); attribute and dimension names must differ"
                        ))
                }
            }
            var measureNames = Set<String>()
            for measure in source.measures {
                let measurePath = "\(path).measures.\(measure.name)"
                checkName(measure.name, path: measurePath, kind: "measure")
                if !measureNames.insert(measure.name).inserted {
                    problems.append(ModelProblem(line: lines[measurePath], "\(measurePath): declared twice"))
                }
            }
        }
    }

    private mutating func checkName(_ name: String, path: String, kind: String) {
        if !DataModel.isValidName(name) {
            problems.append(
                ModelProblem(
                    line: lines[path],
                    "\(path): \"\(name)\" is not a valid \(kind) name (lower-case letters, digits and _, starting with a letter)"
                ))
        } else if DataModel.reservedNames.contains(name) {
            problems.append(
                ModelProblem(
                    line: lines[path],
                    "\(path): \"\(name)\" is reserved (\(DataModel.reservedNames.sorted().joined(separator: ", "))); choose another \(kind) name"
                ))
        }
    }

    // MARK: Helpers

    private mutating func mapping(_ node: Node, path: String, expected: String) -> [(key: Node, value: Node)]? {
        guard let mapping = node.mapping else {
            problem(node, "\(path.isEmpty ? "the model" : path): \(expected) must be a mapping of keys to values")
            return nil
        }
        var seen: [String: Int] = [:]
        for (key, _) in mapping {
            guard let name = key.string else { continue }
            record(path.isEmpty ? name : "\(path).\(name)", key)
            if let first = seen[name] {
                problem(key, "\(path.isEmpty ? "" : path + ".")\(name): declared twice (first on line \(first))")
            } else {
                seen[name] = (key.mark?.line ?? 0)
            }
        }
        return mapping.map { ($0.key, $0.value) }
    }

    private mutating func rejectUnknownKeys(_ map: [(key: Node, value: Node)], known: Set<String>, in place: String) {
        for (key, _) in map {
            guard let name = key.string, !known.contains(name) else { continue }
            problem(key, "\(place): unknown key \"\(name)\" (expected \(known.sorted().joined(separator: ", ")))")
        }
    }

    private mutating func scalar(_ node: Node, path: String) -> String? {
        guard let value = node.scalar?.string, !node.isNull else {
            problem(node, "\(path): expected a single value")
            return nil
        }
        return value
    }

    private mutating func column(_ node: Node, path: String) -> String? {
        record(path, node)
        guard let name = scalar(node, path: path) else { return nil }
        return checkedColumn(name, node: node, path: path)
    }

    /// A column name as the file gives it; PostgreSQL decides whether it exists (the catalog check).
    private mutating func checkedColumn(_ name: String, node: Node, path: String) -> String? {
        guard !name.isEmpty, !name.utf8.contains(0) else {
            problem(node, "\(path): a column name must not be empty")
            return nil
        }
        return name
    }

    private mutating func requiredColumn(_ map: [(key: Node, value: Node)], _ key: String, path: String) -> String? {
        guard let node = map.first(where: { $0.key.string == key })?.value else {
            problems.append(
                ModelProblem(
                    line: lines[String(path[..<(path.lastIndex(of: ".") ?? path.endIndex)])], "\(path): missing"))
            return nil
        }
        return column(node, path: path)
    }

    private mutating func requiredTable(_ map: [(key: Node, value: Node)], _ key: String, path: String) -> DataModel
        .TableName?
    {
        guard let node = map.first(where: { $0.key.string == key })?.value else {
            problems.append(
                ModelProblem(
                    line: lines[String(path[..<(path.lastIndex(of: ".") ?? path.endIndex)])], "\(path): missing"))
            return nil
        }
        record(path, node)
        guard let text = scalar(node, path: path) else { return nil }
        guard let table = DataModel.TableName(parsing: text) else {
            problem(node, "\(path): \"\(text)\" is not a table name; write schema.table or table")
            return nil
        }
        return table
    }

    private mutating func record(_ path: String, _ node: Node) {
        if lines[path] == nil, let mark = node.mark { lines[path] = mark.line }
    }

    private mutating func problem(_ node: Node, _ message: String) {
        problems.append(ModelProblem(line: node.mark?.line, message))
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        case .duplicatedKeysInMapping(_, let context):
            return context.mark.line
        default:
            return nil
        }
    }
}

extension [(key: Node, value: Node)] {
    fileprivate subscript(_ key: String) -> Node? {
        first { $0.key.string == key }?.value
    }
}

extension Node {
    fileprivate var isNull: Bool { null != nil }
}
