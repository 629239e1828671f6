import Foundation
import TestSupport
import Testing

/// What a run may leave behind: reports published as one set, a store committed only
/// after them, no temporary file of patient data, and nothing written through a link
/// that someone else planted.
@Suite(.serialized, .tags(.slow), .skippedInFastRuns) struct DataSafetyTests {
    static let claims = FaultTests.export(rows: 3_000, variant: "A")
    static let otherClaims = FaultTests.export(rows: 3_000, variant: "B")
    static let common = ["--fail-on", "never", "--quiet"]

    private func storeState(_ path: String) throws -> String {
        try FaultTests.python(
            """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            print(db.execute("SELECT COUNT(*) FROM claim_line").fetchone()[0],
                  db.execute("SELECT COUNT(*) FROM run").fetchone()[0],
                  db.execute("SELECT COUNT(*) FROM finding_seen").fetchone()[0])
            """, [path])
    }

    private func hidden(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter {
            $0.hasPrefix(".") && $0 != ".pumpaudit.lock"
        }
    }

    /// The patient partitions and the findings spill are unlinked the moment they are
    /// made: `$TMPDIR` is empty while a run works, after it ends, and after a SIGKILL.
    @Test func aRunsTemporaryFilesNeverShowInTheTemporaryFolder() throws {
        let scratch = ScratchFolder()
        scratch.write("a.csv", FaultTests.export(rows: 60_000, variant: "A"))
        scratch.write("tmp/.keep", "")
        let temporary = scratch.path + "/tmp"
        func leftovers() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: temporary).filter { $0 != ".keep" }
        }
        let arguments = ["audit", "a.csv", "--out", "out", "--no-history"] + Self.common
        let run = try PumpAuditProcess.run(arguments, in: scratch.path, environment: ["TMPDIR": temporary])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try leftovers().isEmpty)
        for delay in [0.05, 0.2, 0.4, 0.8] {
            let process = Process()
            process.executableURL = PumpAuditProcess.binary
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
            process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            #expect(try leftovers().isEmpty, "while the run works (\(delay) s)")
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            #expect(try leftovers().isEmpty, "after a SIGKILL at \(delay) s")
        }
    }

    @Test func aTemporaryFolderThatCannotHoldTheRunStopsItClearly() throws {
        let scratch = ScratchFolder()
        scratch.write("a.csv", Self.claims)
        let run = try PumpAuditProcess.run(
            ["audit", "a.csv", "--out", "out", "--no-history"] + Self.common, in: scratch.path,
            environment: ["TMPDIR": scratch.path + "/no-such-folder"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("temporary file"), "\(run.stderr)")
        #expect(run.stderr.contains("no-such-folder"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/out/findings.csv"))
    }

    @Test func aRunPublishesAWholeSetThatVerifyReportsAccepts() throws {
        let scratch = ScratchFolder()
        scratch.write("a.csv", Self.claims)
        let run = try PumpAuditProcess.run(
            ["audit", "a.csv", "--out", "out", "--no-history"] + Self.common, in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        let manifest = try scratch.read("out/manifest.json")
        for name in ["summary.md", "report.html", "findings.csv", "findings.json", "rejected.csv"] {
            #expect(manifest.contains("\"\(name)\": {\"sha256\": \""), "\(name)")
        }
        #expect(try PumpAuditProcess.run(["verify-reports", "out"], in: scratch.path).status == 0)
        #expect(try hidden(scratch.path + "/out").isEmpty, "no staging folder or temporary file is left")
        // A report replaced by hand, or a set mixed from two runs, no longer verifies.
        scratch.write("out/summary.md", "# another run\n")
        let mixed = try PumpAuditProcess.run(["verify-reports", "out"], in: scratch.path)
        #expect(mixed.status == 2)
        #expect(mixed.stderr.contains("summary.md: not the file the manifest names"), "\(mixed.stderr)")
    }

    @Test func aRunWhoseReportsCannotBePublishedLeavesTheStoreAsItWas() throws {
        let scratch = ScratchFolder()
        scratch.write("a.csv", Self.claims)
        scratch.write("b.csv", Self.otherClaims)
        let store = ["--history", "h.sqlite", "--out", "out"] + Self.common
        #expect(try PumpAuditProcess.run(["audit", "a.csv"] + store, in: scratch.path).status == 0)
        let before = try storeState(scratch.path + "/h.sqlite")
        // A folder where a report must go: renaming the report into place fails.
        try FileManager.default.removeItem(atPath: scratch.path + "/out/findings.json")
        scratch.write("out/findings.json/keep", "x")
        let failed = try PumpAuditProcess.run(["audit", "b.csv"] + store, in: scratch.path)
        #expect(failed.status == 2)
        #expect(failed.stderr.contains("findings.json"), "\(failed.stderr)")
        #expect(try storeState(scratch.path + "/h.sqlite") == before, "the store took nothing of the failed run")
        // The set is not whole, and says so; no staging folder is left.
        #expect(try PumpAuditProcess.run(["verify-reports", "out"], in: scratch.path).status == 2)
        #expect(try hidden(scratch.path + "/out").isEmpty)
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalledRunRemovesItsTemporaryFilesAndLeavesTheStore(signal: Int32) throws {
        let scratch = ScratchFolder()
        scratch.write("a.csv", Self.claims)
        scratch.write("big.csv", FaultTests.export(rows: 400_000, variant: "C"))
        let store = ["--history", "h.sqlite", "--out", "out"] + Self.common
        #expect(try PumpAuditProcess.run(["audit", "a.csv"] + store, in: scratch.path).status == 0)
        let before = try storeState(scratch.path + "/h.sqlite")
        let process = Process()
        process.executableURL = PumpAuditProcess.binary
        process.arguments = ["audit", "big.csv"] + store
        process.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the run has started writing (its staging folder exists), then signal it.
        let deadline = Date().addingTimeInterval(20)
        while try hidden(scratch.path + "/out").isEmpty && process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        let signalled = process.isRunning
        #expect(signalled, "the run ended before it could be signalled")
        Foundation.kill(process.processIdentifier, signal)
        process.waitUntilExit()
        if signalled {
            #expect(process.terminationStatus == 128 + signal)
            #expect(try storeState(scratch.path + "/h.sqlite") == before)
        }
        #expect(try hidden(scratch.path + "/out").isEmpty, "temporary files of patient data were left")
        #expect(try PumpAuditProcess.run(["verify-reports", "out"], in: scratch.path).status == 0)
    }

    @Test func whatAKilledRunLeftIsRemovedByTheNextRun() throws {
        let scratch = ScratchFolder()
        scratch.write("a.csv", Self.claims)
        // As a SIGKILLed run (process 4194303, which does not exist) leaves them.
        scratch.write("out/.pumpaudit-run.4194303.Ab12Cd/findings.csv", "patient data")
        scratch.write("out/.summary.md.4194303.tmp", "patient data")
        scratch.write("out/.findings.csv.4194303.k3j2.tmp", "patient data")
        let run = try PumpAuditProcess.run(
            ["audit", "a.csv", "--out", "out", "--no-history"] + Self.common, in: scratch.path)
        #expect(run.status == 0)
        #expect(try hidden(scratch.path + "/out").isEmpty)
    }

    @Test func aLinkPlantedForATemporaryNameIsNeverWrittenThrough() throws {
        let scratch = ScratchFolder()
        scratch.write("a.csv", Self.claims)
        scratch.write("victim.txt", "untouched")
        try scratch.folder("out")
        // The process ids the run is about to get: plant links under the old predictable names.
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/bin/true")
        try probe.run()
        probe.waitUntilExit()
        for pid in probe.processIdentifier..<(probe.processIdentifier + 400) {
            for name in ["summary.md", "findings.csv", "rejected.csv"] {
                try FileManager.default.createSymbolicLink(
                    atPath: scratch.path + "/out/.\(name).\(pid).tmp", withDestinationPath: scratch.path + "/victim.txt"
                )
            }
        }
        // And a link where a report goes: it is replaced, not followed.
        try FileManager.default.createSymbolicLink(
            atPath: scratch.path + "/out/summary.md", withDestinationPath: scratch.path + "/victim.txt")
        let run = try PumpAuditProcess.run(
            ["audit", "a.csv", "--out", "out", "--no-history"] + Self.common, in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try scratch.read("victim.txt") == "untouched")
        let attributes = try FileManager.default.attributesOfItem(atPath: scratch.path + "/out/summary.md")
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
    }

    @Test func aLinkAtALockFileIsRefused() throws {
        let scratch = ScratchFolder()
        scratch.write("a.csv", Self.claims)
        scratch.write("victim.txt", "untouched")
        try FileManager.default.createSymbolicLink(
            atPath: scratch.path + "/h.sqlite.lock", withDestinationPath: scratch.path + "/victim.txt")
        let run = try PumpAuditProcess.run(
            ["audit", "a.csv", "--out", "out", "--history", "h.sqlite"] + Self.common, in: scratch.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("h.sqlite"), "\(run.stderr)")
        #expect(try scratch.read("victim.txt") == "untouched")
    }

    @Test(arguments: [(0o777, true), (0o775, true), (0o1777, false), (0o755, false)])
    func anOutputFolderOthersMayWriteIsRefused(mode: Int, refused: Bool) throws {
        let scratch = ScratchFolder()
        scratch.write("a.csv", Self.claims)
        try scratch.folder("out")
        chmod(scratch.path + "/out", mode_t(mode))
        let run = try PumpAuditProcess.run(
            ["audit", "a.csv", "--out", "out", "--no-history"] + Self.common, in: scratch.path)
        #expect(run.status == (refused ? 2 : 0), "\(String(mode, radix: 8)): \(run.stderr)")
        #expect(run.stderr.contains("other users may write in this folder") == refused)
    }

    @Test func anExistingStoreReadableByOthersIsMadeOwnerOnly() throws {
        let scratch = ScratchFolder()
        scratch.write("a.csv", Self.claims)
        let store = ["--history", "h.sqlite", "--out", "out", "--fail-on", "never"]
        #expect(try PumpAuditProcess.run(["audit", "a.csv"] + store, in: scratch.path).status == 0)
        chmod(scratch.path + "/h.sqlite", 0o644)
        let run = try PumpAuditProcess.run(["audit", "a.csv"] + store, in: scratch.path)
        #expect(run.status == 0)
        #expect(try scratch.mode("h.sqlite") == 0o600)
        #expect(run.stderr.contains("made owner-only"), "\(run.stderr)")
    }

    @Test func twoRunsIntoOneFolderDoNotMixTheirReports() throws {
        let scratch = ScratchFolder()
        scratch.write("a.csv", FaultTests.export(rows: 60_000, variant: "A"))
        scratch.write("b.csv", FaultTests.export(rows: 60_000, variant: "B"))
        let group = DispatchGroup()
        let results = FaultTests.Results()
        let folder = scratch.path
        for (index, file) in ["a.csv", "b.csv"].enumerated() {
            group.enter()
            DispatchQueue.global().async {
                let run = try? PumpAuditProcess.run(
                    ["audit", file, "--out", "out", "--no-history"] + Self.common, in: folder)
                results.set(index, run?.status ?? -1)
                group.leave()
            }
        }
        group.wait()
        #expect(results.statuses == [0, 0])
        #expect(try PumpAuditProcess.run(["verify-reports", "out"], in: scratch.path).status == 0)
        let summary = try scratch.read("out/summary.md")
        let findings = try scratch.read("out/findings.csv")
        // The summary and the findings are of the same run.
        let fromA = findings.contains(",A1,")
        #expect(summary.contains(fromA ? "a.csv" : "b.csv"))
        #expect(!summary.contains(fromA ? "b.csv" : "a.csv"))
    }

    // MARK: No patient id in error output

    @Test func aBadlyTypedValueInTheStoreStopsTheRunWithoutPrintingTheRow() throws {
        let scratch = ScratchFolder()
        scratch.write("a.csv", Self.claims)
        let store = ["--history", "h.sqlite", "--out", "out"] + Self.common
        #expect(try PumpAuditProcess.run(["audit", "a.csv"] + store, in: scratch.path).status == 0)
        _ = try FaultTests.python(
            """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("UPDATE claim_line SET units = 'lots', patient_id = 'PT-SECRET-' || patient_id")
            db.commit()
            """, [scratch.path + "/h.sqlite"])
        // Rerun with other claims of the same patients, so that history is read.
        scratch.write("b.csv", Self.claims.replacingOccurrences(of: ",P", with: ",PT-SECRET-P"))
        let run = try PumpAuditProcess.run(["audit", "b.csv"] + store, in: scratch.path)
        #expect(run.status == 2)
        #expect(
            run.stderr.contains("h.sqlite: a stored line has a value of the wrong type in column units"),
            "\(run.stderr)")
        #expect(!run.stderr.contains("PT-SECRET"))
    }

    @Test func aYAMLSyntaxErrorNamesTheLineButNotItsText() throws {
        let scratch = ScratchFolder()
        scratch.write("a.csv", Self.claims)
        scratch.write(
            "suppressions.yml",
            """
            - rule: abnormal_interval
              patient: "PT-SECRET-77
              reason: weekly refills
              reviewer: Dr. Osei
            """)
        let run = try PumpAuditProcess.run(
            ["audit", "a.csv", "--out", "out", "--no-history", "--suppressions", "suppressions.yml"] + Self.common,
            in: scratch.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("suppressions.yml:"), "\(run.stderr)")
        #expect(run.stderr.contains("not valid YAML at column"), "\(run.stderr)")
        #expect(!run.stderr.contains("PT-SECRET"), "\(run.stderr)")
    }

    @Test(arguments: [false, true])
    func aHeaderlessExportStopsWithoutPrintingItsFirstRow(pseudonymize: Bool) throws {
        let scratch = ScratchFolder()
        scratch.write("a.csv", "C1,PT-SECRET-9,2026-10-05,62369,1,11\nC2,PT-SECRET-9,2026-10-06,62369,1,11\n")
        let run = try PumpAuditProcess.run(
            ["audit", "a.csv", "--out", "out", "--no-history"] + (pseudonymize ? ["--pseudonymize"] : []),
            in: scratch.path, environment: ["PUMPAUDIT_PSEUDONYM_KEY": "a-test-key-of-32-bytes-0123456789"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("a.csv:1: missing required columns"), "\(run.stderr)")
        #expect(run.stderr.contains("no header row"), "\(run.stderr)")
        #expect(!run.stderr.contains("PT-SECRET"), "\(run.stderr)")
    }
}
