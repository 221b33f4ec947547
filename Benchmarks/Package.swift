// swift-tools-version: 6.1
// Benchmarks for Arbor, kept out of the main package so that its build and CI never compile them.
// Run from this directory: swift package --disable-sandbox benchmark
import PackageDescription

let package = Package(
    name: "ArborBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Arbor", path: ".."),
        // The runtime interposer trait needs a package the offline mirror does not carry; malloc counts suffice.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // A seeded generator of the demo organisation's shape (and a 1M-user variant).
        .target(name: "DemoShape", dependencies: [.product(name: "ArborIndex", package: "Arbor")]),
        // Prints one line per phase and query (median of runs) plus resident memory: quick numbers for docs.
        .executableTarget(
            name: "index-probe", dependencies: ["DemoShape", .product(name: "ArborIndex", package: "Arbor")]),
        // Server-side times of every call from the snapshot and from live SQL on a real database, side by side.
        .executableTarget(
            name: "service-probe",
            dependencies: [
                .product(name: "ArborService", package: "Arbor"), .product(name: "ArborIndex", package: "Arbor"),
            ]),
        // The same for the arbor.v2 service on the war-story demo, cache against live.
        .executableTarget(
            name: "model-probe",
            dependencies: [
                .product(name: "ArborService", package: "Arbor"), .product(name: "ArborIndex", package: "Arbor"),
            ]),
        // The same on examples/log-entries (30M entries): load, memory, typical calls, one-entry refreshes.
        .executableTarget(
            name: "log-probe",
            dependencies: [
                .product(name: "ArborService", package: "Arbor"), .product(name: "ArborIndex", package: "Arbor"),
                .product(name: "ArborModelFile", package: "Arbor"),
            ]),
        .executableTarget(
            name: "IndexBenchmarks",
            dependencies: [
                "DemoShape",
                .product(name: "ArborIndex", package: "Arbor"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/IndexBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
