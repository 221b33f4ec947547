/// A load run that cannot start or continue (bad options, an empty dataset, an unreachable server).
public struct LoadError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
