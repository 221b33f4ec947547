internal import CNghttp2

public enum ArborHTTP2 {
    public static var nghttp2Version: String { String(cString: nghttp2_version(0).pointee.version_str) }
}
