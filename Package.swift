// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "pumpaudit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "pumpaudit", targets: ["pumpaudit"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // The C library libcsv (Debian: libcsv-dev). Only ClaimIngest imports it.
        .systemLibrary(
            name: "CLibCSV",
            providers: [.apt(["libcsv-dev"])]
        ),
        // zlib, to read gzip-compressed exports while streaming them.
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Plain value types shared by every stage: claim lines, dates, money, rejections.
        .target(
            name: "ClaimModel",
            exclude: ["Reference/Data/README.md"],
            // The built-in NCCI tables, compiled into the binary (see Reference/Data/README.md).
            resources: [
                .embedInCode("Reference/Data/ncci-ptp-practitioner-pump-2024q3.csv"),
                .embedInCode("Reference/Data/ncci-ptp-outpatient-pump-2024q3.csv"),
                .embedInCode("Reference/Data/ncci-mue-pump-2024q3.csv"),
            ]
        ),
        // Stage 1: CSV bytes -> ClaimLine or Rejection.
        .target(
            name: "ClaimIngest",
            dependencies: [
                "CLibCSV", "CZlib", "ClaimModel",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Stage 2: rules over claim lines -> findings.
        .target(name: "ClaimAudit", dependencies: ["ClaimModel"]),
        // The embedded store of earlier runs' pump-related lines (SQLite through GRDB).
        .target(
            name: "AuditHistory",
            dependencies: ["ClaimModel", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Stage 3: summaries and exports, one pure reporter per format.
        .target(
            name: "AuditReport",
            dependencies: ["ClaimModel", "ClaimAudit", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The thin command that wires the stages together.
        .executableTarget(
            name: "pumpaudit",
            dependencies: [
                "ClaimModel", "ClaimIngest", "ClaimAudit", "AuditHistory", "AuditReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Fuzzes ingest (scripts/fuzz); built as usual, it replays a corpus.
        .executableTarget(name: "IngestFuzzer", dependencies: ["ClaimIngest", "ClaimModel"]),
        // What every test target shares: scratch folders, a seeded random generator, tags.
        .target(name: "TestSupport", dependencies: ["ClaimIngest"], path: "Tests/TestSupport"),
        .testTarget(name: "ClaimModelTests", dependencies: ["ClaimModel", "TestSupport"]),
        .testTarget(
            name: "ClaimIngestTests",
            dependencies: [
                "ClaimIngest", "ClaimModel", "TestSupport", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "AuditHistoryTests",
            dependencies: ["AuditHistory", "ClaimModel", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "ClaimAuditTests", dependencies: ["ClaimAudit", "ClaimIngest", "ClaimModel", "TestSupport"]),
        .testTarget(
            name: "AuditReportTests",
            dependencies: ["AuditReport", "ClaimAudit", "ClaimModel", "TestSupport"]
        ),
        .testTarget(name: "pumpauditTests", dependencies: ["pumpaudit", "IngestFuzzer", "ClaimAudit", "TestSupport"]),
    ]
)
