import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs the jobs that would go to Swift's global executor on the fuzzing thread instead, when the target asks.
///
/// The server starts one task per call off its event loop, and those tasks hop back to the loop with their
/// results. The fuzz target's `EmbeddedEventLoop` may only be used from the thread that made it, and an input must
/// do the same thing every time it runs, so the target installs this once: the runtime's
/// `swift_task_enqueueGlobal_hook` queues every such job here, and ``runPending()`` runs them, one at a time.
/// Handlers must not sleep: delayed jobs bypass the hook.
enum InlineTasks {
    private typealias Original = @convention(thin) (UnownedJob) -> Void
    private typealias Hook = @convention(thin) (UnownedJob, Original) -> Void

    /// Installs the hook; evaluated once, on first use.
    static let installed: Void = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "swift_task_enqueueGlobal_hook") else {
            fatalError("the Swift runtime has no swift_task_enqueueGlobal_hook")
        }
        symbol.assumingMemoryBound(to: Hook?.self).pointee = { job, _ in pendingJobs.withLock { $0.append(job) } }
    }()

    /// Runs queued jobs, and the jobs they queue, until none is left. Returns whether any ran.
    static func runPending() -> Bool {
        var ran = false
        while let job = pendingJobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
            job.runSynchronously(on: InlineExecutor.shared.asUnownedSerialExecutor())
            ran = true
        }
        return ran
    }
}

private let pendingJobs = Mutex<[UnownedJob]>([])

/// The executor jobs claim to run on; whatever is enqueued on it joins the same queue.
private final class InlineExecutor: SerialExecutor {
    static let shared = InlineExecutor()

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pendingJobs.withLock { $0.append(job) }
    }
}
