/// The best `capacity` entries of a ranking seen so far — by metric (descending unless `ascending`), then node
/// ascending — in a binary heap whose root is the worst of them, so a ranking of millions costs one comparison
/// per node and memory for the page only.
struct RankingHeap {
    struct Entry {
        var metric: Int64
        var node: Int32
    }

    private let capacity: Int
    private let ascending: Bool
    private var entries: [Entry] = []

    init(capacity: Int, ascending: Bool) {
        self.capacity = capacity
        self.ascending = ascending
        entries.reserveCapacity(min(capacity, 1 << 16))
    }

    /// Whether `a` ranks above `b`.
    @inline(__always)
    private func before(_ a: Entry, _ b: Entry) -> Bool {
        if a.metric != b.metric { return ascending ? a.metric < b.metric : a.metric > b.metric }
        return a.node < b.node
    }

    mutating func offer(metric: Int64, node: Int32) {
        guard capacity > 0 else { return }
        let entry = Entry(metric: metric, node: node)
        if entries.count < capacity {
            entries.append(entry)
            var child = entries.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard before(entries[parent], entries[child]) else { break }
                entries.swapAt(parent, child)
                child = parent
            }
        } else if before(entry, entries[0]) {
            entries[0] = entry
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < entries.count else { break }
                var worst = left
                if left + 1 < entries.count, before(entries[worst], entries[left + 1]) { worst = left + 1 }
                guard before(entries[parent], entries[worst]) else { break }
                entries.swapAt(parent, worst)
                parent = worst
            }
        }
    }

    /// The kept nodes, best first.
    func ranked() -> [Int32] {
        entries.sorted(by: before).map(\.node)
    }
}
