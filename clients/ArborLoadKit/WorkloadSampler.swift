import ArborClient
import Foundation

/// Reads a ``WorkloadSample`` from a running server, for whatever model it serves: `Describe` for the names, the
/// leaderboard by downline size from both ends for roots of every size (with their attributes), and part of the
/// largest downline for more nodes, labels and attribute values.
public enum WorkloadSampler {
    /// Roots read from each end of the ranking by downline size.
    static let rootsPerEnd: UInt32 = 1000
    /// Nodes read from the largest downline.
    static let downlineNodes: UInt32 = 2000
    /// Values kept per attribute.
    static let valuesPerAttribute = 50

    public static func sample(client: ArborClient, timeout: Duration) async throws -> WorkloadSample {
        let model = try await client.describe(timeout: timeout).value
        let attributeNames = model.attributes.map(\.name)
        var roots: [WorkloadSample.Root] = []
        var values: [String: Set<String>] = [:]
        var labels: Set<String> = []
        for ascending in [false, true] {
            let board = try await client.leaderboard(
                LeaderboardQuery(
                    metric: .downlineSize, ascending: ascending, attributes: attributeNames, limit: rootsPerEnd),
                timeout: timeout)
            for row in board.value.rows {
                roots.append(.init(id: row.id, downlineSize: row.downlineSize))
                labels.insert(row.label)
                for (name, value) in row.attributes { values[name, default: []].insert(value) }
            }
        }
        var nodes: [String] = []
        if let biggest = roots.max(by: { $0.downlineSize < $1.downlineSize }) {
            let requested = (model.hasLabel ? ["label"] : []) + attributeNames
            let stream = try await client.descendants(
                TraversalQuery(root: biggest.id, limit: downlineNodes, attributes: requested), timeout: timeout)
            for try await node in stream {
                nodes.append(node.id)
                for (name, value) in zip(requested, node.values) {
                    if name == "label" { labels.insert(value) } else { values[name, default: []].insert(value) }
                }
            }
        }
        var prefixes: Set<String> = []
        if model.hasLabel {
            for label in labels where !label.isEmpty {
                prefixes.insert(String(label.prefix(2)))
                prefixes.insert(String(label.prefix(4)))
            }
        }
        let today = Day(daysSinceEpoch: Int32(Date().timeIntervalSince1970 / 86_400))
        return WorkloadSample(
            rootsBySize: WorkloadSample.group(roots), nodes: nodes, labelPrefixes: prefixes.sorted(),
            attributes: model.attributes.map { attribute in
                // "" stands for NULL too, which no match selects; sampled values are real values of the attribute.
                let seen = (values[attribute.name] ?? []).filter { !$0.isEmpty }.sorted()
                return .init(name: attribute.name, values: Array(seen.prefix(valuesPerAttribute)))
            },
            sources: model.sources.map {
                .init(
                    name: $0.name, dimensions: $0.dimensions, measures: $0.measures.map(\.name),
                    lastDay: $0.lastDay ?? today)
            })
    }
}
