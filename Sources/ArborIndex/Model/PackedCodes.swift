/// Small non-negative codes (dictionary codes, combination numbers), one per element, in the narrowest of 0, 1, 2 or
/// 4 bytes that holds the largest: an attribute with 4 values over 30 million nodes takes 30 MB, not 120.
///
/// One byte buffer and a width rather than an enum of typed arrays: reading an element is then a load, with no
/// retain of a payload, which hot loops over millions of elements notice.
struct PackedCodes: Sendable {
    private let storage: AppendableArray<UInt8>
    /// Bytes per code: 0 (every code is 0), 1, 2 or 4.
    let width: Int
    let count: Int

    init(_ codes: [UInt32]) {
        let width = Self.width(holding: codes.max() ?? 0)
        self.count = codes.count
        self.width = width
        self.storage = AppendableArray(Self.bytes(codes, width: width))
    }

    /// Codes already packed: `count` of them, `width` bytes each (native byte order), in `bytes`.
    init(packed bytes: AppendableArray<UInt8>, width: Int, count: Int) {
        precondition(bytes.count == width * count && [0, 1, 2, 4].contains(width))
        self.init(storage: bytes, width: width, count: count)
    }

    /// The narrowest width (0, 1, 2 or 4 bytes) that holds codes up to `largest`.
    static func packedWidth(holding largest: UInt32) -> Int { width(holding: largest) }

    private init(storage: AppendableArray<UInt8>, width: Int, count: Int) {
        self.storage = storage
        self.width = width
        self.count = count
    }

    /// The narrowest width that holds `largest`.
    private static func width(holding largest: UInt32) -> Int {
        largest == 0 ? 0 : largest <= UInt32(UInt8.max) ? 1 : largest <= UInt32(UInt16.max) ? 2 : 4
    }

    private static func bytes(_ codes: [UInt32], width: Int) -> [UInt8] {
        var storage = [UInt8](repeating: 0, count: codes.count * width)
        storage.withUnsafeMutableBytes { raw in
            switch width {
            case 1: for (index, code) in codes.enumerated() { raw[index] = UInt8(truncatingIfNeeded: code) }
            case 2:
                for (index, code) in codes.enumerated() {
                    raw.storeBytes(of: UInt16(truncatingIfNeeded: code), toByteOffset: index * 2, as: UInt16.self)
                }
            case 4:
                for (index, code) in codes.enumerated() {
                    raw.storeBytes(of: code, toByteOffset: index * 4, as: UInt32.self)
                }
            default: break
            }
        }
        return storage
    }

    /// Every code, as an array.
    var codes: [UInt32] { withReader { reader in (0..<count).map { reader[$0] } } }

    /// These codes followed by `codes`: appended in place (``AppendableArray``) when the width holds them, else
    /// packed again at a larger width.
    func appending(_ codes: [UInt32]) -> PackedCodes {
        guard !codes.isEmpty else { return self }
        let needed = Self.width(holding: codes.max() ?? 0)
        guard needed <= width else { return PackedCodes(self.codes + codes) }
        return PackedCodes(
            storage: storage.appending(contentsOf: Self.bytes(codes, width: width)), width: width,
            count: count + codes.count)
    }

    /// A copy with the code of some elements replaced.
    func replacing(_ changes: [(index: Int, code: UInt32)]) -> PackedCodes {
        guard !changes.isEmpty else { return self }
        var all = codes
        for change in changes { all[change.index] = change.code }
        return PackedCodes(all)
    }

    @inline(__always)
    subscript(index: Int) -> UInt32 {
        storage.withUnsafeBufferPointer { Self.load(UnsafeRawBufferPointer($0), index, width) }
    }

    @inline(__always)
    static func load(_ raw: UnsafeRawBufferPointer, _ index: Int, _ width: Int) -> UInt32 {
        switch width {
        case 1: UInt32(raw[index])
        case 2: UInt32(raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
        case 4: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
        default: 0
        }
    }

    /// Calls `body` with a reader of the codes that loads without touching the array again.
    @inline(__always)
    func withReader<R>(_ body: (Reader) -> R) -> R {
        storage.withUnsafeBufferPointer { body(Reader(raw: UnsafeRawBufferPointer($0), width: width)) }
    }

    /// The codes' bytes and width, valid inside ``withReader(_:)``.
    struct Reader {
        let raw: UnsafeRawBufferPointer
        let width: Int

        @inline(__always)
        subscript(index: Int) -> UInt32 { PackedCodes.load(raw, index, width) }
    }

    var byteCount: Int { storage.byteCount }
}
