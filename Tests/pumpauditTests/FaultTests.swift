import Foundation
import TestSupport
import Testing

/// Cron jobs get killed. A run killed at any point leaves the previous reports whole
/// and the history store as it was or as the finished run would leave it.
@Suite(.serialized, .tags(.slow), .skippedInFastRuns) struct FaultTests {
    /// An export of `rows` rows; `variant` changes its claims, so runs write different data.
    static func export(rows: Int, variant: String) -> String {
        var text =
            "claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity,place_of_service_code,rendering_npi,paid_amount\n"
        text.reserveCapacity(rows * 70)
        for i in 0..<rows {
            let code = ["62369", "99213", "95990", "J0475", "72148", "62367"][i % 6]
            text +=
                "\(variant)\(i / 3),\(i % 3 + 1),P\(i % 900),2026-10-\(10 + i % 18),\(code),1,\(i % 50 == 0 ? "02" : "11"),1111111112,\(i % 90).00\n"
        }
        return text
    }

    /// Starts a run and kills it (SIGKILL) after `delay` seconds. Whether the kill ended
    /// the run, or the run had ended before it.
    private func kill(after delay: Double, _ arguments: [String], in folder: String) throws -> Bool {
        let process = Process()
        process.executableURL = PumpAuditProcess.binary
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: delay)
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
    }

    /// Kills a run of `arguments` at a random time within `duration`. A run that ends
    /// before its kill was a whole run: the next is killed at half the delay, and so on,
    /// so that the call ends in a kill unless no run outlives its first 50 ms.
    /// `beforeEachRun` is called before each attempt.
    private func killARun(
        _ arguments: [String], in folder: String, within duration: Double, using generator: inout SeededGenerator,
        beforeEachRun: () throws -> Void = {}
    ) throws -> (killed: Bool, delay: Double) {
        var delay = Double.random(in: 0.05...max(0.1, duration), using: &generator)
        while true {
            try beforeEachRun()
            if try kill(after: delay, arguments, in: folder) { return (true, delay) }
            if delay <= 0.05 { return (false, delay) }
            delay = max(0.05, delay / 2)
        }
    }

    /// How long a whole run takes, from start to exit.
    private func seconds(of arguments: [String], in folder: String) throws -> Double {
        let start = Date()
        let run = try PumpAuditProcess.run(arguments, in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        return Date().timeIntervalSince(start)
    }

    static func python(_ script: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aKilledRunLeavesThePreviousReportsWhole() throws {
        let scratch = ScratchFolder()
        scratch.write("a.csv", Self.export(rows: 30_000, variant: "A"))
        scratch.write("b.csv", Self.export(rows: 30_000, variant: "B"))
        let common = ["--no-history", "--fail-on", "never", "--quiet"]
        let duration = try seconds(of: ["audit", "b.csv", "--out", "b-out"] + common, in: scratch.path)
        _ = try PumpAuditProcess.run(["audit", "a.csv", "--out", "out"] + common, in: scratch.path)
        let versions = [try scratch.read("out/findings.csv"), try scratch.read("b-out/findings.csv")]
        #expect(versions[0] != versions[1])
        var generator = SeededGenerator(seed: 0xFA17_0001)
        for _ in 0..<8 {
            let (killed, delay) = try killARun(
                ["audit", "b.csv", "--out", "out"] + common, in: scratch.path, within: duration, using: &generator)
            let when = "killed after \(delay) s of a \(duration) s run, \(generator)"
            #expect(killed, "every run ended before its kill: \(when)")
            #expect(versions.contains(try scratch.read("out/findings.csv")), "\(when)")
            #expect(try scratch.read("out/report.html").hasSuffix("</html>\n"), "\(when)")
            #expect(try scratch.read("out/summary.md").contains("## Rejected rows"), "\(when)")
            let json = try Data(contentsOf: URL(fileURLWithPath: scratch.file("out/findings.json")))
            #expect((try? JSONSerialization.jsonObject(with: json)) != nil, "\(when)")
        }
    }

    @Test func aKilledRunLeavesTheStoreConsistent() throws {
        let scratch = ScratchFolder()
        scratch.write("a.csv", Self.export(rows: 30_000, variant: "A"))
        scratch.write("b.csv", Self.export(rows: 30_000, variant: "B"))
        let common = ["--history", "h.sqlite", "--out", "out", "--fail-on", "never", "--quiet"]
        let duration = try seconds(of: ["audit", "a.csv"] + common, in: scratch.path)
        let check = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            print(db.execute("PRAGMA integrity_check").fetchone()[0],
                  db.execute("SELECT COUNT(*) FROM claim_line").fetchone()[0],
                  db.execute("SELECT COUNT(*) FROM run").fetchone()[0])
            """
        func state() throws -> (integrity: String, lines: Int, runs: Int) {
            let values = try Self.python(check, [scratch.file("h.sqlite")]).split(separator: " ")
            return (String(values[0]), Int(values[1])!, Int(values[2])!)
        }
        let afterA = try state()
        #expect(afterA.integrity == "ok")
        var generator = SeededGenerator(seed: 0xFA17_0002)
        // How many lines the store holds once B is in (B again replaces B's claims).
        var linesWithB: Int?
        for _ in 0..<6 {
            var before = afterA
            let (killed, delay) = try killARun(
                ["audit", "b.csv"] + common, in: scratch.path, within: duration, using: &generator
            ) { before = try state() }
            let when = "killed after \(delay) s of a \(duration) s run, \(generator)"
            #expect(killed, "every run ended before its kill: \(when)")
            let after = try state()
            #expect(after.integrity == "ok", "\(when)")
            // Either the run left no trace, or all of B's lines are in with its run recorded.
            if after.runs == before.runs {
                #expect(after.lines == before.lines, "\(when)")
            } else {
                #expect(after.runs == before.runs + 1, "\(when)")
                #expect(after.lines > afterA.lines, "\(when)")
                #expect(after.lines == linesWithB ?? after.lines, "\(when)")
                linesWithB = after.lines
                // The store commits only after the reports are published: they are B's whole set.
                #expect(try PumpAuditProcess.run(["verify-reports", "out"], in: scratch.path).status == 0, "\(when)")
                #expect(try scratch.read("out/summary.md").contains("b.csv"), "\(when)")
            }
        }
        // And the store still works.
        let run = try PumpAuditProcess.run(["audit", "b.csv"] + common, in: scratch.path)
        #expect(run.status == 0)
        let final = try state()
        #expect(final.integrity == "ok")
        #expect(final.lines == linesWithB ?? final.lines)
    }

    @Test func twoRunsOnOneStoreAtOnceBothFinishOneAfterTheOther() throws {
        let scratch = ScratchFolder()
        scratch.write("a.csv", Self.export(rows: 20_000, variant: "A"))
        scratch.write("b.csv", Self.export(rows: 20_000, variant: "B"))
        let group = DispatchGroup()
        let results = Results()
        let folder = scratch.path
        for (index, file) in ["a.csv", "b.csv"].enumerated() {
            group.enter()
            DispatchQueue.global().async {
                let run = try? PumpAuditProcess.run(
                    [
                        "audit", file, "--history", "h.sqlite", "--out", "out-\(index)",
                        "--fail-on", "never",
                    ], in: folder)
                results.set(index, run?.status ?? -1)
                group.leave()
            }
        }
        group.wait()
        #expect(results.statuses == [0, 0])
        let state = try Self.python(
            """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            print(db.execute("PRAGMA integrity_check").fetchone()[0], db.execute("SELECT COUNT(*) FROM run").fetchone()[0])
            """, [scratch.file("h.sqlite")])
        #expect(state == "ok 2")
    }

    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int: Int32] = [:]
        func set(_ index: Int, _ status: Int32) {
            lock.lock()
            values[index] = status
            lock.unlock()
        }
        var statuses: [Int32] { lock.lock(); defer { lock.unlock() }; return values.keys.sorted().map { values[$0]! } }
    }
}
