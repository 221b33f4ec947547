import ArborWire

extension RPCError {
    /// The status a handler's thrown error becomes. Only ``RPCError``s carry their message to the caller; anything
    /// else is logged and reported generically.
    static func mapping(handlerError error: any Error, context: RPCContext) -> RPCError {
        if let error = error as? RPCError { return error }
        if error is CancellationError {
            if let deadline = context.deadline, deadline <= .now {
                return RPCError(code: .deadlineExceeded, message: "deadline exceeded")
            }
            return RPCError(code: .cancelled, message: "call cancelled")
        }
        context.logger.error("handler failed", metadata: ["error": "\(error)"])
        return RPCError(code: .unknown, message: "the server failed to handle the call")
    }
}
