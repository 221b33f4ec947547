private import CLibFuzzer

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs libFuzzer on `testOneInput` with the process's arguments, then exits with libFuzzer's status.
///
/// libFuzzer brings its own `main`, but SwiftPM links an executable's entry point under a name of its own
/// (`<module>_main`), which a module built with `-parse-as-library` and no `@main` never defines. So each target
/// has a `@main` that calls this, as libFuzzer's `main` would; `testOneInput` is also exported as
/// `LLVMFuzzerTestOneInput`, for tools that look for it.
public func runLibFuzzer(_ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
}
