// swift-tools-version:6.1
// WAIaaS: a custody daemon that gives AI agents a Solana wallet inside limits
// their owner sets. One target per concern; see docs/ARCHITECTURE.md and the
// architecture map in README.md.
import PackageDescription

let package = Package(
    name: "waiaas",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "waiaasd", targets: ["waiaasd"]),
        .executable(name: "waiaas", targets: ["waiaas"]),
        // For Swift agent runtimes: the generated WalletClient and the messages, without the server.
        .library(name: "WaiaasClient", targets: ["WaiaasRPCClient", "WaiaasProto"]),
        // For Perf/ (make bench-micro) only: the libraries the Sign path runs through. Not an API.
        .library(name: "WaiaasBenchSupport", targets: ["WaiaasRPCClient", "WaiaasProto", "WaiaasSolana", "WaiaasPolicy", "WaiaasLedger", "WaiaasBenchWorkload"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        // C system libraries from Debian, found with pkg-config.
        .systemLibrary(name: "CProtobufC", pkgConfig: "libprotobuf-c", providers: [.apt(["libprotobuf-c-dev"])]),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // protoc-c output for Protos/, generated and committed (make proto / proto-check).
        .target(name: "CWaiaasProto", dependencies: ["CProtobufC"]),
        // protoc-c output for protoc's plugin protocol (descriptor.proto, plugin.proto), for the codegen tool.
        .target(name: "CProtocPlugin", dependencies: ["CProtobufC"], path: "Tools/CProtocPlugin"),
        // protoc-gen-waiaas: the protoc plugin writing the Swift messages, client and server protocol, and the Python and JavaScript clients (docs/CLIENTS.md).
        // Its hand-written Python and JavaScript runtimes are real files in Runtime/, compiled into the binary (PackageResources).
        .executableTarget(
            name: "protoc-gen-waiaas", dependencies: ["CProtocPlugin", "CProtobufC"], path: "Tools/protoc-gen-waiaas",
            resources: [.embedInCode("Runtime/_rpc.py"), .embedInCode("Runtime/codec.js"), .embedInCode("Runtime/rpc.js")]),
        // Peer credentials and process hardening that Swift cannot reach directly.
        .target(name: "CWaiaasShims"),
        // OpenSSL macro wrappers and the Nitro NSM ioctl, for WaiaasAttestation.
        .target(name: "CWaiaasAttestationShims", dependencies: ["COpenSSL"]),

        .target(name: "WaiaasProto", dependencies: ["CWaiaasProto", "CProtobufC"]),
        .target(name: "WaiaasSolana", dependencies: ["CSodium", "COpenSSL"]),
        // The chain-facing half: Solana JSON-RPC over libcurl, the endpoint quorum, lookup tables from the chain (docs/RPC.md).
        // Its own target so the codec, its fuzzers and the CLI's offline decode never link a network library.
        .target(
            name: "WaiaasChain",
            dependencies: [
                "WaiaasSolana", "CCurl",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // The sealed agent keystore, guarded secret memory, the agent signer and owner keys (docs/ARCHITECTURE.md).
        .target(name: "WaiaasCustody", dependencies: ["CSodium", "WaiaasSolana"]),
        // AWS KMS for the owner key and the keystore's data key: SigV4 (libssl), the JSON 1.1 client
        // (libcurl), the credential chain, and the CMS envelope KMS answers an enclave with (docs/KMS.md).
        .target(name: "WaiaasKMS", dependencies: ["COpenSSL", "CCurl", "CSodium", "WaiaasCustody", "WaiaasSolana"]),
        // The durable, hash-chained event ledger (docs/ARCHITECTURE.md); group commit on one writer thread.
        .target(name: "WaiaasLedger", dependencies: ["CSQLite", "CSodium", "WaiaasSolana"]),
        // Appends in a loop and prints each committed sequence: the crash test SIGKILLs it.
        .executableTarget(name: "waiaas-ledger-stress", dependencies: ["WaiaasLedger"]),
        .target(
            name: "WaiaasAttestation",
            dependencies: ["CSodium", "COpenSSL", "CWaiaasAttestationShims", "WaiaasProto", "WaiaasSolana"]
        ),
        // The client agents link: framing, RPCError, RPCClient and the generated WalletClient.
        .target(
            name: "WaiaasRPCClient",
            dependencies: [
                "WaiaasProto",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // The server: the call dispatcher, limits, peer credentials, the generated WalletProvider.
        .target(
            name: "WaiaasRPC",
            dependencies: [
                "WaiaasRPCClient", "WaiaasProto", "CWaiaasShims",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The policy model and one pure function: (policy, request, spending so far, time) → decision.
        .target(name: "WaiaasPolicy", dependencies: ["WaiaasSolana", "WaiaasProto"]),
        .target(
            name: "WaiaasDaemon",
            dependencies: [
                "WaiaasRPC", "WaiaasProto", "CWaiaasShims", "WaiaasSolana", "WaiaasChain", "WaiaasPolicy", "WaiaasCustody", "WaiaasLedger",
                "WaiaasAttestation", "WaiaasKMS",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "waiaasd",
            dependencies: [
                "WaiaasDaemon", "WaiaasRPC", "WaiaasCustody", "WaiaasChain", "WaiaasKMS",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // `waiaas mcp`: the wallet as MCP tools on stdio for LLM hosts (docs/AGENTS.md). It holds no key:
        // every tool is one or two calls to the daemon's socket.
        .target(
            name: "WaiaasMCP",
            dependencies: [
                "WaiaasRPCClient", "WaiaasProto", "WaiaasSolana", "WaiaasPolicy",
                .product(name: "MCP", package: "swift-sdk"),
            ]
        ),
        .executableTarget(
            name: "waiaas",
            dependencies: [
                "WaiaasRPCClient", "WaiaasProto", "WaiaasSolana", "WaiaasChain", "WaiaasAttestation", "WaiaasLedger", "WaiaasCustody",
                "WaiaasPolicy", "WaiaasKMS", "WaiaasMCP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "WaiaasBenchWorkload", dependencies: ["WaiaasProto", "WaiaasSolana"]),
        // The bench's floor peer: ssh-agent's protocol, libsodium, a thread per connection, nothing else.
        .executableTarget(name: "waiaas-bare-signer", dependencies: ["CSodium"]),
        .executableTarget(
            name: "waiaas-bench",
            dependencies: [
                "WaiaasBenchWorkload", "WaiaasRPC", "WaiaasProto", "WaiaasSolana", "WaiaasPolicy", "WaiaasCustody", "WaiaasLedger", "CSodium", "CSQLite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),

        .testTarget(name: "WaiaasProtoTests", dependencies: ["WaiaasProto"]),
        // Contract tests shared with the generated clients (Tests/Contract: golden bytes, live scenarios).
        .testTarget(name: "WaiaasContractTests", dependencies: ["WaiaasProto", "WaiaasRPC", "WaiaasSolana", "WaiaasCustody"], path: "Tests/Contract/swift"),
        .testTarget(name: "WaiaasPolicyTests", dependencies: ["WaiaasPolicy", "WaiaasSolana", "WaiaasProto"]),
        // Squads v4's published IDL and a real account, read by path (README there names their source).
        .testTarget(name: "WaiaasSolanaTests", dependencies: ["WaiaasSolana"], exclude: ["Fixtures"]),
        .testTarget(name: "WaiaasChainTests", dependencies: ["WaiaasChain", "WaiaasSolana"]),
        .testTarget(name: "WaiaasCustodyTests", dependencies: ["WaiaasCustody"]),
        // SigV4 vectors botocore made and CMS envelopes openssl made, read by path (README there names them).
        .testTarget(name: "WaiaasKMSTests", dependencies: ["WaiaasKMS", "WaiaasCustody", "WaiaasSolana"], exclude: ["Fixtures"]),
        .testTarget(name: "WaiaasLedgerTests", dependencies: ["WaiaasLedger", "CSQLite"]),
        .testTarget(
            name: "WaiaasAttestationTests",
            dependencies: [
                "WaiaasAttestation", "WaiaasProto", "WaiaasRPC", "COpenSSL", "CWaiaasAttestationShims", "CSodium",
                .product(name: "Logging", package: "swift-log"),
            ],
            // Real Nitro documents and the AWS root, read by path (README there names their source).
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "WaiaasRPCTests",
            dependencies: [
                "WaiaasRPC", "WaiaasProto", "WaiaasDaemon", "WaiaasSolana",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        // The MCP tools without a host: arguments, the catalog, and how answers are shaped.
        .testTarget(name: "WaiaasMCPTests", dependencies: ["WaiaasMCP", "WaiaasProto", "WaiaasRPCClient", .product(name: "MCP", package: "swift-sdk")]),
        // The wallet without a socket: WalletCore and the Sign path on a temporary home and ledger.
        .testTarget(
            name: "WaiaasDaemonTests",
            dependencies: [
                "WaiaasDaemon", "WaiaasRPC", "WaiaasProto", "WaiaasSolana", "WaiaasPolicy", "WaiaasLedger", "WaiaasCustody",
                "WaiaasKMS", "WaiaasAttestation",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
