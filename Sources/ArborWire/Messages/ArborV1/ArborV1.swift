/// The messages and enums of Arbor's RPC contract, protobuf package `arbor.v1` (`schema/arbor.proto`).
public enum ArborV1 {}
