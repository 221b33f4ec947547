/// Every hand-built graph, for tests parameterised over all fixture cases.
public enum HandBuiltGraphs {
    public static let all: [HandBuiltGraph] = [
        tree, diamonds, selfEdge, twoCycle, cycleThroughRoot, cycleZoo, ladder, disconnected,
    ]

    /// Every case of every graph, with its graph, for `@Test(arguments:)`.
    public static var allCases: [(graph: HandBuiltGraph, fixture: FixtureCase)] {
        all.flatMap { graph in graph.cases.map { (graph, $0) } }
    }
}
