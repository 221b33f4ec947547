internal import CLibpq

public enum ArborStore {
    public static var libpqVersion: Int { Int(PQlibVersion()) }
}
