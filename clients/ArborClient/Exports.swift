// A program that depends on ArborClient alone gets what its API uses: the error and raw message types (ArborWire)
// and `Day` for event windows. Nothing else of the server's model types is exported.
@_exported public import ArborWire

@_exported public import struct ArborModel.Day
