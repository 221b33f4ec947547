/// The messages and enums of Arbor's RPC contract, protobuf package `arbor.v2` (`schema/arbor_v2.proto`): nodes,
/// attributes, event sources and measures as the model file names them.
public enum ArborV2 {}
