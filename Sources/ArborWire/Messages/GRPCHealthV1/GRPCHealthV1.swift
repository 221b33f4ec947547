/// The messages of the standard gRPC health checking protocol, protobuf package `grpc.health.v1`
/// (`schema/health.proto`).
public enum GRPCHealthV1 {}
