// swift-tools-version: 6.1
// Benchmarks for Arbor, kept out of the main package so that its build and CI never compile them.
// Run from this directory: swift run -c release model-probe DATABASE_URL
import PackageDescription

let package = Package(
    name: "ArborBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Arbor", path: "..")
    ],
    targets: [
        // Timing, medians, memory and formatting shared by the probes.
        .target(name: "ProbeSupport", dependencies: [.product(name: "ArborIndex", package: "Arbor")]),
        // Server-side times of every arbor.v2 call on the war-story demo, cache against live, plus load, refresh
        // and memory.
        .executableTarget(
            name: "model-probe",
            dependencies: [
                "ProbeSupport",
                .product(name: "ArborService", package: "Arbor"), .product(name: "ArborIndex", package: "Arbor"),
            ]),
        // The same on examples/log-entries (30M entries): load, memory, typical calls, one-entry refreshes.
        .executableTarget(
            name: "log-probe",
            dependencies: [
                "ProbeSupport",
                .product(name: "ArborService", package: "Arbor"), .product(name: "ArborIndex", package: "Arbor"),
                .product(name: "ArborModelFile", package: "Arbor"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
