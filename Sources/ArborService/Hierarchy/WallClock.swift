#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Milliseconds since the Unix epoch, the unit of `as_of_unix_ms`.
public enum WallClock {
    public static func nowUnixMs() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
