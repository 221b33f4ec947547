import Dispatch

/// A task executor with a thread of its own (a serial dispatch queue): the jobs of the tasks that prefer it run
/// there, one at a time, and never occupy the threads of Swift's global executor.
///
/// For expensive handlers (see ``RPCRouter/setExecutor(_:for:)``): however many of them are waiting, cheap calls on
/// the global executor find its threads free; the operating system shares the cores between both.
public final class DedicatedExecutor: TaskExecutor {
    private let queue: DispatchQueue

    /// - Parameter label: the thread's name, as debuggers and `top -H` show it.
    public init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
