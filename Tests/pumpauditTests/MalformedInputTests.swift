import Foundation
import TestSupport
import Testing

/// The malformed-input corpus: every file has one defined outcome, rows rejected
/// with their reason or exit 2 with a clear message, and never a crash, a hang or
/// a row lost without a trace.
@Suite(.tags(.slow), .skippedInFastRuns) struct MalformedInputTests {
    static let header =
        "claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity,complexity_justification\n"
    static let good = "C1,1,P1,2026-10-05,62369,1,fluoroscopy guided refill\n"

    enum Expected {
        /// The run goes on; these many rows are rejected, the first with this reason.
        case rejected(Int, reason: String)
        /// The run stops with exit 2 and this text on standard error.
        case stops(String)
        /// The run goes on and reads this many rows.
        case reads(Int)
    }

    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var expected: Expected
        var description: String { name }
    }

    static func text(_ string: String) -> [UInt8] { Array(string.utf8) }

    static let cases: [Case] = [
        Case(name: "empty file", bytes: [], expected: .reads(0)),
        Case(name: "header only", bytes: text(header), expected: .reads(0)),
        Case(name: "BOM only", bytes: [0xEF, 0xBB, 0xBF], expected: .reads(0)),
        Case(
            name: "unterminated quote at end of file",
            bytes: text(header + good + "C2,1,P2,2026-10-05,62369,1,\"never closed\n"),
            expected: .rejected(1, reason: "a quoted field is never closed")),
        Case(
            name: "NUL bytes",
            bytes: text(header) + text("C1,1,P1,2026-10-05,62369,1,a") + [0, 0] + text("b\n") + text(good),
            expected: .reads(2)),
        Case(
            name: "NUL in a date", bytes: text(header) + text("C1,1,P1,2026-10-0") + [0] + text(",62369,1,x\n"),
            expected: .rejected(1, reason: "bad date")),
        // Its code is no code a rule reads: out of scope, and its other fields are never decoded.
        Case(
            name: "invalid UTF-8 in every column",
            bytes: text(header) + Array(repeating: text("C") + [0xFF, 0xFE, 0x2C], count: 7).flatMap { $0 }.dropLast()
                + [0x0A],
            expected: .reads(1)),
        Case(
            name: "invalid UTF-8 in every column but a pump code",
            bytes: text(header) + Array(repeating: text("C") + [0xFF, 0xFE, 0x2C], count: 4).flatMap { $0 }
                + text("62369,") + Array(repeating: text("C") + [0xFF, 0xFE, 0x2C], count: 2).flatMap { $0 }.dropLast()
                + [0x0A],
            expected: .rejected(1, reason: "bad date")),
        Case(
            name: "a 10 MB field",
            bytes: text(
                header + "C1,1,P1,2026-10-05,62370,1,\"" + String(repeating: "long note, ", count: 1_000_000) + "\"\n"
                    + good),
            expected: .reads(2)),
        Case(
            name: "10,000 columns",
            bytes: text(
                (0..<9_994).map { "extra\($0)," }.joined() + header
                    + String(repeating: ",", count: 9_994) + good),
            expected: .reads(1)),
        Case(
            name: "duplicate headers",
            bytes: text("claim_id,claim_id,person_id,claim_line_start_date,hcpcs_code\nC1,C1,P1,2026-10-05,62369\n"),
            expected: .stops("both match claim_id")),
        Case(
            name: "mixed line endings",
            bytes: text(
                header + "C1,1,P1,2026-10-05,62369,1,a\r\nC2,1,P2,2026-10-05,62369,1,b\rC3,1,P3,2026-10-05,62369,1,c\n"),
            expected: .reads(3)),
        Case(
            name: "too many fields", bytes: text(header + "C1,1,P1,2026-10-05,62369,1,a,extra\n" + good),
            expected: .rejected(1, reason: "wrong field count")),
        Case(
            name: "too few fields", bytes: text(header + "C1,1,P1,2026-10-05\n" + good),
            expected: .rejected(1, reason: "wrong field count")),
        Case(
            name: "gzip named .csv",
            bytes: [
                0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x4B, 0x4C, 0x4A, 0x06, 0x00, 0xC2, 0x41,
                0x24, 0x35, 0x03, 0x00, 0x00, 0x00,
            ],
            expected: .stops("missing required column")),
        Case(
            name: "Feb 30", bytes: text(header + "C1,1,P1,2026-02-30,62369,1,x\n"),
            expected: .rejected(1, reason: "bad date")),
        Case(
            name: "units 1e9", bytes: text(header + "C1,1,P1,2026-10-05,62369,1e9,x\n"),
            expected: .rejected(1, reason: "bad units")),
        Case(
            // Negative units are a reversal of an earlier line, read and netted out, not rejected.
            name: "units -1", bytes: text(header + "C1,1,P1,2026-10-05,62369,-1,x\n"),
            expected: .reads(1)),
        Case(
            name: "units -1e9", bytes: text(header + "C1,1,P1,2026-10-05,62369,-1e9,x\n"),
            expected: .rejected(1, reason: "bad units")),
        Case(
            name: "units 1.5", bytes: text(header + "C1,1,P1,2026-10-05,62369,1.5,x\n"),
            expected: .rejected(1, reason: "bad units")),
    ]

    /// Each file alone; `--max-rejected 100` so that a file with a rejected row still
    /// reports it (the exit code for rejected shares is tested in `ExitCodeTests`).
    @Test(arguments: cases)
    func eachFileHasOneDefinedOutcome(_ testCase: Case) throws {
        let scratch = ScratchFolder()
        let file = scratch.path + "/input.csv"
        #expect(FileManager.default.createFile(atPath: file, contents: Data(testCase.bytes)))
        let run = try PumpAuditProcess.run(
            ["audit", "input.csv", "--out", "out", "--no-history", "--fail-on", "never", "--max-rejected", "100"],
            in: scratch.path)
        switch testCase.expected {
        case .stops(let message):
            #expect(run.status == 2, "\(testCase.name): \(run.stderr)")
            #expect(run.stderr.contains("input.csv"), "\(testCase.name): \(run.stderr)")
            #expect(run.stderr.contains(message), "\(testCase.name): \(run.stderr)")
        case .rejected(let count, let reason):
            // A file whose every row is rejected audited nothing: reports, then exit 2.
            let summary = try scratch.read("out/summary.md")
            let allRejected = summary.contains("= 0 audited + \(count) rejected")
            #expect(run.status == (allRejected ? 2 : 0), "\(testCase.name): \(run.stderr)")
            if allRejected {
                #expect(run.stderr.contains("input.csv: all \(count) rows were rejected"), "\(run.stderr)")
            }
            let rows = parseCSV(try scratch.read("out/rejected.csv")).dropFirst()
            #expect(rows.count == count, "\(testCase.name)")
            #expect(rows.first?[2].contains(reason) == true, "\(testCase.name): \(rows.first ?? [])")
            #expect(rows.allSatisfy { $0[0] == "input.csv" && Int($0[1]) != nil })
            #expect(try scratch.read("out/summary.md").contains("\(count) rejected"))
        case .reads(let count):
            // Reading no row at all is a run that audited nothing: exit 2, after the reports.
            #expect(run.status == (count == 0 ? 2 : 0), "\(testCase.name): \(run.stderr)")
            if count == 0 { #expect(run.stderr.contains("the run audited nothing"), "\(run.stderr)") }
            #expect(
                try scratch.read("out/summary.md").contains("Rows read: \(count) = \(count) audited + 0 rejected"),
                "\(testCase.name)")
        }
    }

    /// Context rows wait undecoded: one of an audited patient that fails to decode is
    /// rejected in its place among the rows rejected as read, and counted in its file;
    /// one of a patient no one audits is counted in scope, undecoded; the summary says so.
    @Test(arguments: ["1", "2"])
    func aContextRowIsRejectedOnlyWhenItsPatientIsAudited(jobs: String) throws {
        let scratch = ScratchFolder()
        scratch.write(
            "input.csv",
            Self.header + Self.good
                + """
                C2,1,P1,2026-10-05,99213,x,
                C3,1,P2,2026-10-05,99213,x,
                C4,1,P1,2026-02-30,99213,1,
                C5,1,P1,2026-10-05,99213,y,

                """)
        let run = try PumpAuditProcess.run(
            [
                "audit", "input.csv", "--out", "out", "--no-history", "--fail-on", "never", "--max-rejected", "100",
                "--jobs", jobs,
            ],
            in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        let rows = parseCSV(try scratch.read("out/rejected.csv")).dropFirst()
        #expect(rows.map { $0[1] } == ["3", "5", "6"])
        #expect(rows.map { String($0[2].prefix(9)) } == ["bad units", "bad date ", "bad units"])
        #expect(rows.first?[3] == "C2,1,P1,2026-10-05,99213,x,")
        let summary = try scratch.read("out/summary.md")
        #expect(summary.contains("Rows read: 5 = 2 audited + 3 rejected"), "\(summary)")
        #expect(summary.contains("| input.csv | comma, utf-8 | 5 | 2 | 2 | 0 | 3 |"), "\(summary)")
        #expect(summary.contains("wait undecoded until the run knows whether their patient is audited"))
    }

    @Test func aZeroByteFileInAFolderIsListedAsEmptyAndTheRunGoesOn() throws {
        let scratch = ScratchFolder()
        scratch.write("in/a.csv", Self.header + Self.good)
        scratch.write("in/b.csv", "")
        let run = try PumpAuditProcess.run(
            ["audit", "in", "--out", "out", "--no-history", "--fail-on", "never"], in: scratch.path)
        #expect(run.status == 0)
        #expect(try scratch.read("out/summary.md").contains("b.csv (empty: no header row)"))
        #expect(run.stderr.contains("b.csv is empty"))
    }

    @Test func anUnreadableInputExitsTwo() throws {
        let scratch = ScratchFolder()
        // Tests may run as root, who may read any file; /proc/self/mem opens but fails to read.
        let run = try PumpAuditProcess.run(
            ["audit", "/proc/self/mem", "--out", "out", "--no-history"], in: scratch.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("/proc/self/mem: cannot read"), "\(run.stderr)")
        // A folder with no claim files is a clear error too.
        try scratch.folder("in/empty")
        let folder = try PumpAuditProcess.run(["audit", "in/empty", "--out", "out", "--no-history"], in: scratch.path)
        #expect(folder.status == 2)
        #expect(folder.stderr.contains("in/empty: the folder holds no .csv, .tsv, .txt or .psv file"))
    }

    @Test func anOutputFolderThatCannotBeWrittenExitsTwoBeforeAnyWork() throws {
        let scratch = ScratchFolder()
        scratch.write("claims.csv", Self.header + Self.good)
        let run = try PumpAuditProcess.run(
            ["audit", "claims.csv", "--out", "/proc/pumpaudit-reports", "--history", "h.sqlite"],
            in: scratch.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("/proc/pumpaudit-reports"))
        // Nothing was recorded: the run stopped before reading its inputs.
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/h.sqlite"))
    }
}
