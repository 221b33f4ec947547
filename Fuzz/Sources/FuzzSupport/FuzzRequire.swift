/// Stops the fuzzer with `message` when `condition` is false: a broken invariant is a finding, like a crash.
///
/// `precondition` would do the same but drops its message in release builds, and the message is what tells a
/// reader of the crash report which invariant broke.
public func fuzzRequire(
    _ condition: @autoclosure () -> Bool,
    _ message: @autoclosure () -> String,
    file: StaticString = #fileID,
    line: UInt = #line
) {
    if !condition() { fatalError(message(), file: file, line: line) }
}

/// Fails the fuzzer with `message`; for paths an invariant rules out.
public func fuzzFailure(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError(message, file: file, line: line)
}
