// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Arbor",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "arbor-server", targets: ["arbor-server"]),
        .library(name: "ArborWire", targets: ["ArborWire"]),
        .library(name: "ArborHTTP2", targets: ["ArborHTTP2"]),
        // For the separate Benchmarks/ package.
        .library(name: "ArborIndex", targets: ["ArborIndex", "ArborModel"]),
        .library(name: "ArborService", targets: ["ArborService"]),
        .library(name: "ArborModelFile", targets: ["ArborModelFile"]),
        .library(name: "ArborClient", targets: ["ArborClient"]),
        .executable(name: "arbor", targets: ["arbor"]),
        .executable(name: "arbor-load", targets: ["arbor-load"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // C libraries, each imported by exactly one Swift module.
        .systemLibrary(
            name: "CNghttp2",
            path: "Sources/CNghttp2",
            pkgConfig: "libnghttp2",
            providers: [.apt(["libnghttp2-dev"])]
        ),
        .systemLibrary(
            name: "CLibpq",
            path: "Sources/CLibpq",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),

        // Protobuf wire codec, gRPC framing and the contract's messages. No dependencies.
        .target(name: "ArborWire"),

        // Logging helpers shared by the transport, the store and the service (rate-limited event lines).
        .target(name: "ArborLogging", dependencies: [.product(name: "Logging", package: "swift-log")]),

        // Domain types shared by the live (SQL) and cached (in-memory) query paths.
        .target(name: "ArborModel"),

        // The model file (YAML) read into ArborModel's DataModel, with every problem on its line.
        .target(name: "ArborModelFile", dependencies: ["ArborModel", .product(name: "Yams", package: "Yams")]),

        // The in-memory index of a model's data (ModelIndex), and pure queries over it.
        .target(name: "ArborIndex", dependencies: ["ArborModel"]),

        // Test support: private databases on the test cluster, random models and their data, the demo's small tree.
        .target(
            name: "ArborTestSupport",
            dependencies: ["ArborStore", "ArborModel", .product(name: "Logging", package: "swift-log")],
            path: "Tests/ArborTestSupport"
        ),

        // HTTP/2 + gRPC server and client connections over SwiftNIO and nghttp2.
        .target(
            name: "ArborHTTP2",
            dependencies: [
                "CNghttp2",
                "ArborWire",
                "ArborLogging",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // PostgreSQL: libpq connection pool, the model's catalog check and install, demo data, live SQL from the model.
        .target(
            name: "ArborStore",
            dependencies: [
                "CLibpq",
                "ArborModel",
                "ArborLogging",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The Hierarchy service: request validation, freshness routing between index and live SQL, refresher.
        .target(
            name: "ArborService",
            dependencies: [
                "ArborModel",
                "ArborIndex",
                "ArborStore",
                "ArborWire",
                "ArborHTTP2",
                "ArborLogging",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),

        .executableTarget(
            name: "arbor-server",
            dependencies: [
                "ArborService",
                "ArborWire",
                "ArborHTTP2",
                "ArborStore",
                "ArborModelFile",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Clients: the Swift client library, the `arbor` CLI and the `arbor-load` harness (logic in the *Kit libraries).
        .target(
            name: "ArborClient", dependencies: ["ArborWire", "ArborModel", "ArborHTTP2"], path: "clients/ArborClient"),
        .target(name: "ArborCLIKit", dependencies: ["ArborClient"], path: "clients/ArborCLIKit"),
        .target(
            name: "ArborLoadKit",
            dependencies: ["ArborClient", .product(name: "Histogram", package: "hdrhistogram-swift")],
            path: "clients/ArborLoadKit"
        ),
        .executableTarget(
            name: "arbor",
            dependencies: ["ArborCLIKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "clients/arbor"
        ),
        .executableTarget(
            name: "arbor-load",
            dependencies: [
                "ArborLoadKit", "ArborCLIKit", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "clients/arbor-load"
        ),
        .testTarget(
            name: "ArborClientTests",
            dependencies: [
                "ArborClient", "ArborCLIKit", "ArborLoadKit", "ArborHTTP2",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Golden outputs and the fixed dataset are read from the source tree (#filePath), not bundled.
        .testTarget(name: "ArborCLITests", dependencies: ["ArborClient"], exclude: ["Golden", "Fixtures", "GRPCIO"]),

        .testTarget(name: "ArborWireTests", dependencies: ["ArborWire"]),
        .testTarget(name: "ArborModelTests", dependencies: ["ArborModel", "ArborModelFile"]),
        .testTarget(
            name: "ArborHTTP2Tests",
            dependencies: [
                "ArborHTTP2",
                "ArborWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            exclude: ["Interop"]
        ),
        .testTarget(
            name: "ArborStoreTests",
            dependencies: [
                "ArborStore", "ArborModel", "ArborModelFile", "ArborTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ArborServiceTests",
            dependencies: [
                "ArborService", "ArborModel", "ArborWire", "ArborIndex", "ArborStore", "ArborHTTP2", "ArborTestSupport",
                "ArborClient", "ArborLogging", "ArborModelFile",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "ArborIndexTests", dependencies: ["ArborIndex", "ArborModel"]),
    ],
    swiftLanguageModes: [.v6]
)
