// What the probes share: timing, medians, memory and number formatting.
import ArborModel
import Foundation

/// A duration in milliseconds, with fractions.
public func milliseconds(_ duration: Duration) -> Double { duration.fractionalMilliseconds }

/// The median time of `runs` calls of `body`, in milliseconds.
public func median(_ runs: Int, _ body: () async throws -> Void) async throws -> Double {
    var times: [Double] = []
    for _ in 0..<runs {
        let started = ContinuousClock.now
        try await body()
        times.append(milliseconds(ContinuousClock.now - started))
    }
    return times.sorted()[times.count / 2]
}

/// Resident memory now (`VmRSS`) or at its peak so far (`VmHWM`), in MB.
public func residentMegabytes(_ field: String = "VmRSS:") -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix(field) } ?? ""
    return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
}

/// `value` with `digits` decimals.
public func format(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

/// Prints a line and flushes it, so progress shows as it happens also when the output goes to a file.
public func report(_ line: String) {
    print(line)
    fflush(nil)
}
