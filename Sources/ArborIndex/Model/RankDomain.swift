/// A set of ranks given as sorted, disjoint, non-adjacent intervals, numbered densely from 0 in rank order: the
/// nodes a leaderboard needs numbers for (everyone, or `within` and its downline). Every downline of a node inside
/// the set is a union of whole ranges of the numbering, so per-query prefix sums over the set answer it.
struct RankDomain {
    let intervals: [Range<Int32>]
    /// Dense number of each interval's first rank.
    private let bases: [Int]
    let count: Int

    init(intervals: [Range<Int32>]) {
        self.intervals = intervals
        var bases: [Int] = []
        var total = 0
        for interval in intervals {
            bases.append(total)
            total += interval.count
        }
        self.bases = bases
        self.count = total
    }

    /// The dense number of `rank`, which must lie in the set.
    @inline(__always)
    func local(_ rank: Int32) -> Int {
        if intervals.count == 1 { return Int(rank - intervals[0].lowerBound) }
        var low = 0
        var high = intervals.count
        while low < high {
            let middle = (low + high) >> 1
            if intervals[middle].upperBound <= rank { low = middle + 1 } else { high = middle }
        }
        return bases[low] + Int(rank - intervals[low].lowerBound)
    }

    /// The dense numbers of `ranks`, an interval inside the set.
    @inline(__always)
    func local(_ ranks: Range<Int32>) -> Range<Int> {
        let start = local(ranks.lowerBound)
        return start..<(start + ranks.count)
    }

    /// Calls `body` with every rank of the set, in order, with its dense number.
    func forEach(_ body: (_ local: Int, _ rank: Int32) -> Void) {
        var local = 0
        for interval in intervals {
            for rank in interval {
                body(local, rank)
                local += 1
            }
        }
    }
}
