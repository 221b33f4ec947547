/// One thing wrong with a model, with the line of the model file it comes from (when it comes from a file).
public struct ModelProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// 1-based line in the model file, or `nil` for the built-in model or a problem of the whole file.
    public var line: Int?
    public var message: String

    public init(line: Int?, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "line \($0): \(message)" } ?? message }
}

/// Every problem found in a model; thrown as one error so that a user fixes them all in one pass.
public struct ModelProblems: Error, Hashable, Sendable, CustomStringConvertible {
    /// The model file's path, for messages.
    public var file: String
    public var problems: [ModelProblem]

    public init(file: String, problems: [ModelProblem]) {
        self.file = file
        self.problems = problems
    }

    public var description: String {
        problems.map { "\(file):\($0.line.map(String.init) ?? "-"): \($0.message)" }.joined(separator: "\n")
    }
}
