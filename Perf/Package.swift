// swift-tools-version:6.1
// Micro-benchmarks for the Sign path's hot pieces (`make bench-micro`), with
// ordo-one/benchmark. A package of its own so that `make test` and `make run`
// never resolve or build the harness.
import PackageDescription

let package = Package(
    name: "waiaas-perf",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "waiaas", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "WaiaasHot",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "WaiaasBenchSupport", package: "waiaas"),
            ],
            path: "Benchmarks/WaiaasHot",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
