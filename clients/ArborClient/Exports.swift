// A service that depends on ArborClient alone gets the query types (ArborModel) and the error and message types
// (ArborWire) it needs to call Arbor.
@_exported public import ArborModel
@_exported public import ArborWire
