import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the binary with a deadline, so that a run that blocks fails its test instead
/// of hanging the suite; standard error goes where `stderr` says.
struct BoundedRun {
    enum StandardError {
        /// Captured, as in `PumpAuditProcess`.
        case captured
        /// A pipe whose reading end is closed before the run starts writing.
        case closedPipe
        /// Closed altogether (`2>&-`).
        case closed
    }

    var status: Int32
    var timedOut: Bool
    var stderr: String

    static func run(
        _ arguments: [String], in folder: String, stderr mode: StandardError = .captured, seconds: Double = 60
    ) throws -> BoundedRun {
        let process = Process()
        if mode == .closed {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "exec \"$0\" \"$@\" 2>&-", PumpAuditProcess.binary.path] + arguments
        } else {
            process.executableURL = PumpAuditProcess.binary
            process.arguments = arguments
        }
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_DATA_HOME"] = folder + "/xdg-data"
        environment["XDG_CONFIG_HOME"] = folder + "/xdg-config"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        if mode != .closed { process.standardError = err }
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        final class Captured: @unchecked Sendable { var data = Data() }
        let captured = Captured()
        let reader = DispatchGroup()
        if mode == .closedPipe {
            try err.fileHandleForReading.close()
        } else if mode == .captured {
            DispatchQueue.global().async(group: reader) {
                captured.data = err.fileHandleForReading.readDataToEndOfFile()
            }
        }
        try? err.fileHandleForWriting.close()
        let timedOut = finished.wait(timeout: .now() + seconds) == .timedOut
        if timedOut {
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
        }
        _ = reader.wait(timeout: .now() + 5)
        return BoundedRun(
            status: process.terminationStatus, timedOut: timedOut,
            stderr: String(decoding: captured.data, as: UTF8.self))
    }
}

@Suite(.tags(.slow), .skippedInFastRuns) struct ReliabilityTests {
    static let audit = ["audit", "--out", "out", "--no-history", "--fail-on", "never", "--max-rejected", "100"]

    // MARK: Special files

    @Test func aFIFONamedAsInputIsRefusedWithoutOpeningIt() throws {
        let scratch = ScratchFolder()
        #expect(mkfifo(scratch.path + "/claims.csv", 0o600) == 0)
        let run = try BoundedRun.run(Self.audit + ["claims.csv"], in: scratch.path, seconds: 20)
        #expect(!run.timedOut)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("claims.csv: not a regular file"), "\(run.stderr)")
    }

    @Test func aDeviceNamedAsInputIsRefused() throws {
        let scratch = ScratchFolder()
        let run = try BoundedRun.run(Self.audit + ["/dev/null"], in: scratch.path, seconds: 20)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("/dev/null: not a regular file"), "\(run.stderr)")
    }

    @Test func aFIFOInAnInputFolderIsSkippedWithAWarning() throws {
        let scratch = ScratchFolder()
        scratch.write("in/claims.csv", CommandLineTests.cleanClaims)
        #expect(mkfifo(scratch.path + "/in/pipe.csv", 0o600) == 0)
        let run = try BoundedRun.run(Self.audit + ["in"], in: scratch.path, seconds: 20)
        #expect(!run.timedOut)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("in/pipe.csv: not a regular file (a FIFO); skipped"), "\(run.stderr)")
        let summary = try scratch.read("out/summary.md")
        #expect(summary.contains("in/claims.csv"))
        #expect(summary.contains("in/pipe.csv"))
    }

    @Test func aFileWhoseNameIsNotUTF8IsReportedNotLostSilently() throws {
        let scratch = ScratchFolder()
        scratch.write("in/claims.csv", CommandLineTests.cleanClaims)
        let name: [UInt8] = Array((scratch.path + "/in/bad").utf8) + [0xFF, 0xFE] + Array(".csv".utf8) + [0]
        let fd = name.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o600) }
        }
        #expect(fd >= 0)
        close(fd)
        let run = try BoundedRun.run(Self.audit + ["in"], in: scratch.path, seconds: 20)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("not valid UTF-8"), "\(run.stderr)")
    }

    // MARK: Standard error

    @Test(arguments: [BoundedRun.StandardError.closedPipe, .closed])
    func aRunWhoseStandardErrorIsGoneStillEndsWithItsOwnStatus(mode: BoundedRun.StandardError) throws {
        let scratch = ScratchFolder()
        scratch.write("claims.csv", CommandLineTests.cleanClaims)
        // The clean claims hold no warning: exit 0. With --fail-on info a finding would make it 1.
        let run = try BoundedRun.run(
            ["audit", "claims.csv", "--out", "out", "--no-history", "--max-rejected", "100"], in: scratch.path,
            stderr: mode, seconds: 60)
        #expect(run.status == 0)
        #expect(try scratch.read("out/summary.md").contains("Rows read: 4 = 3 audited + 1 rejected"))
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/out/findings.csv"))
        let failing = try BoundedRun.run(
            ["audit", "claims.csv", "--out", "out2", "--no-history", "--max-rejected", "1"], in: scratch.path,
            stderr: mode, seconds: 60)
        #expect(failing.status == 2)
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/out2/rejected.csv"))
    }

    // MARK: Messages

    @Test func aBrokenHeaderIsDescribedInWordsNotCaseNames() throws {
        let scratch = ScratchFolder()
        scratch.write("claims.csv", "claim_id,per\"son_id,claim_line_start_date,hcpcs_code\nC1,P1,2026-10-05,62369\n")
        let run = try BoundedRun.run(Self.audit + ["claims.csv"], in: scratch.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("claims.csv:1: the header row cannot be read: "), "\(run.stderr)")
        #expect(run.stderr.contains("a quote inside an unquoted field"), "\(run.stderr)")
        #expect(!run.stderr.contains("brokenQuoting("), "\(run.stderr)")
    }

    // MARK: Parallel reads

    /// A file just over the 32 MiB at which reads go parallel, with a 5,000-line quoted
    /// note across its midpoint: every `--jobs` gives the one-core reports. Each
    /// thousand rows hold a bad date (rejected as read), an E/M row with bad units
    /// beside a pump service (deferred, and rejected when its patient's lines are
    /// decoded) and one of a patient without a pump service (set aside undecoded).
    static func largeClaims() -> String {
        let filler = String(repeating: "routine visit note ", count: 50)
        var rows: [String] = []
        rows.reserveCapacity(34_000)
        for i in 0..<34_000 {
            let code = i % 10 == 0 ? "62369" : "99213"
            let date = i % 1_000 == 7 ? "2026-02-30" : "2026-10-\(10 + i % 18)"
            let patient = i % 1_000 == 501 ? "P\(i - 1)" : "P\(i)"
            let units = i % 1_000 == 501 || i % 1_000 == 503 ? "x" : "1"
            rows.append("C\(i),1,\(patient),\(date),\(code),\(units),11,\(filler),90.00\n")
        }
        let note = "\"" + String(repeating: "a long quoted note line\n", count: 5_000) + "\""
        rows[rows.count / 2] = "CN,1,PN,2026-10-05,62369,1,11,\(note),90.00\n"
        return
            "claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity,place_of_service_code,complexity_justification,paid_amount\n"
            + rows.joined()
    }

    @Test(.timeLimit(.minutes(10)))
    func aLargeFileGivesTheSameReportsForAnyJobs() throws {
        let scratch = ScratchFolder()
        let text = Self.largeClaims()
        #expect(text.utf8.count > 32 << 20)
        scratch.write("claims.csv", text)
        var reports: [String: [String]] = [:]
        for jobs in ["1", "4", "1000000"] {
            let run = try BoundedRun.run(
                Self.audit + ["claims.csv", "--out", "out-\(jobs)", "--jobs", jobs], in: scratch.path, seconds: 300)
            #expect(!run.timedOut, "--jobs \(jobs)")
            #expect(run.status == 0, "--jobs \(jobs): \(run.stderr)")
            let summary = try scratch.read("out-\(jobs)/summary.md")
            reports[jobs] = [
                try scratch.read("out-\(jobs)/findings.csv"), try scratch.read("out-\(jobs)/rejected.csv"),
                summary.split(separator: "\n").filter { $0.contains("Rows read") }.joined(),
            ]
        }
        #expect(
            reports["1"]?[2].contains("Rows read: 34000 = 33932 audited + 68 rejected") == true,
            "\(reports["1"]?[2] ?? "")")
        // The rows rejected when decoded late sit among those rejected as read, by line.
        let rejected = parseCSV(reports["1"]?[1] ?? "").dropFirst()
        let lines = rejected.compactMap { Int($0[1]) }
        #expect(lines.count == 68)
        #expect(lines == lines.sorted())
        let lateClaims = rejected.filter { $0[2].contains("units") }.map { $0[3].prefix { $0 != "," }.dropFirst() }
        #expect(lateClaims.map { Int($0)! % 1_000 } == Array(repeating: 501, count: 34))
        #expect(reports["4"] == reports["1"])
        #expect(reports["1000000"] == reports["1"])
    }

    @Test func helpSaysJobsIsCappedAtTheCores() throws {
        let scratch = ScratchFolder()
        let run = try PumpAuditProcess.run(["audit", "--help"], in: scratch.path)
        #expect(run.stdout.contains("at most the cores available"), "\(run.stdout)")
    }
}
