public enum ArborWire {}
