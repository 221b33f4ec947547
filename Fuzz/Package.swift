// swift-tools-version: 6.1
// libFuzzer targets for Arbor, kept out of the main package: they link only with the fuzzer sanitizer.
// Build and run them with scripts/fuzz from the repository root; Fuzz/README.md has the commands.
import PackageDescription

let package = Package(
    name: "ArborFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Arbor", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // libFuzzer's driver function, which the toolchain's compiler-rt provides without a header.
        .systemLibrary(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),
        // What the targets share: the entry point into libFuzzer and the invariant check that stops it.
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"]),
        // The protobuf codec: every message of the contract decodes, re-encodes and decodes again identically.
        .executableTarget(
            name: "fuzz-proto",
            dependencies: ["FuzzSupport", .product(name: "ArborWire", package: "Arbor")]
        ),
        // The gRPC deframer, fed in chunks, against a one-shot reference.
        .executableTarget(
            name: "fuzz-deframer",
            dependencies: ["FuzzSupport", .product(name: "ArborWire", package: "Arbor")]
        ),
        // A server connection (nghttp2 session, call state machines, handlers) fed raw client bytes.
        .executableTarget(
            name: "fuzz-server-connection",
            dependencies: [
                "FuzzSupport",
                .product(name: "ArborHTTP2", package: "Arbor"),
                .product(name: "ArborWire", package: "Arbor"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
