#if canImport(Glibc)
    import Glibc
#endif

/// Makes the memory of a replaced snapshot go back to the system.
///
/// A snapshot is a few dozen large arrays (the rollup columns are tens of MB each). glibc serves large blocks with
/// `mmap` and unmaps them on free, but after the first such free it raises its threshold (up to 32 MB) and serves
/// later ones from the heap, where a freed snapshot's columns stay resident. On the full demo that left a process at
/// 200 MB after three loads instead of about 100 MB (`docs/benchmarks.md`). A fixed threshold keeps every large
/// block mapped and returned, and turns the dynamic adjustment off. The numbers were measured on the full demo:
/// - the mapping threshold is 1 MB, not glibc's initial 128 KB, because a request's own buffers (a Descendants
///   response, a Leaderboard's per-user sums) are hundreds of KB, and mapping and faulting them in on every call
///   made Descendants(Raj) 0.35-0.54 ms instead of 0.19 ms;
/// - a fixed threshold also fixes the trim threshold, at 128 KB unless set: the heap top was then given back and
///   faulted in again on every call, so it is 8 MB.
public enum AllocatorTuning {
    /// Blocks of this size and above are mapped on their own.
    public static let mmapThreshold: Int32 = 1024 * 1024
    /// Free memory at the top of the heap kept for reuse.
    public static let trimThreshold: Int32 = 8 * 1024 * 1024
    /// Heaps (arenas) shared by the threads. glibc's default, 8 per core, lets each load run on a database
    /// thread's own arena and leave it fragmented: 13 loads took a server from 101 to 180 MB (2 arenas: 118 MB).
    public static var arenaMaximum: Int32 {
        #if canImport(Glibc)
            return Int32(max(2, min(8, sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        #else
            return 2
        #endif
    }

    /// Applies the setting to this process; call it once at start, before any snapshot is loaded. Does nothing
    /// where the C library is not glibc.
    public static func returnLargeBlocksToTheSystem() {
        #if canImport(Glibc)
            // `mallopt` and `M_MMAP_THRESHOLD` live in <malloc.h>, which the Glibc module does not export; the
            // function is looked up by name (RTLD_DEFAULT is a null handle) and the constant is glibc's stable -3.
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            let mmapThresholdParameter: Int32 = -3
            let trimThresholdParameter: Int32 = -1
            let arenaMaximumParameter: Int32 = -8
            _ = mallopt(mmapThresholdParameter, mmapThreshold)
            _ = mallopt(trimThresholdParameter, trimThreshold)
            _ = mallopt(arenaMaximumParameter, arenaMaximum)
        #endif
    }

    /// Returns the free pages inside the heaps to the system. A full load frees the old snapshot's smaller arrays
    /// among the new one's, and the holes stay resident until trimmed (a server grew by 30 MB over 13 loads
    /// without this). Takes a few milliseconds; the refresher calls it after each full load.
    public static func releaseFreeMemory() {
        #if canImport(Glibc)
            typealias MallocTrim = @convention(c) (Int) -> Int32
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
            _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        #endif
    }
}
