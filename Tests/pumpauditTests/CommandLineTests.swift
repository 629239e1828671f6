import Foundation
import TestSupport
import Testing

/// Runs the built `pumpaudit` binary, as cron would.
struct PumpAuditProcess {
    var status: Int32
    var stdout: String
    var stderr: String

    static var binary: URL {
        // `swift test` builds the product beside the test bundle.
        var folder = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("pumpaudit")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/pumpaudit")
    }

    /// Runs the binary in `folder`; `stdin`, when given, is a file its standard input reads.
    static func run(
        _ arguments: [String], in folder: String, environment extra: [String: String] = [:], stdin: String? = nil
    ) throws -> PumpAuditProcess {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        // The default history store lives under XDG_DATA_HOME: keep it in the test's folder.
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_DATA_HOME"] = folder + "/xdg-data"
        environment["XDG_CONFIG_HOME"] = folder + "/xdg-config"
        environment.merge(extra) { $1 }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdin { process.standardInput = FileHandle(forReadingAtPath: stdin) }
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return PumpAuditProcess(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}

@Suite struct CommandLineTests {
    static let cleanClaims = """
        claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity,place_of_service_code,rendering_npi,paid_amount
        C1,1,P1,2026-10-05,62367,1,11,1111111112,70.00
        C2,1,P2,2026-10-06,99213,1,11,1111111112,90.00
        C3,1,P3,2026-10-06,72148,1,22,1111111112,400.00
        C4,1,P4,2026-10-32,62369,1,11,1111111112,90.00

        """
    /// The one bad row of `cleanClaims` is a quarter of its rows, over the default `--max-rejected`.
    static let allowTheBadRow = ["--max-rejected", "50"]

    @Test func auditWritesTheReportsOwnerOnly() throws {
        let scratch = ScratchFolder()
        scratch.write("in/claims.csv", Self.cleanClaims)
        let run = try PumpAuditProcess.run(["audit", "in", "--out", "out"] + Self.allowTheBadRow, in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        for name in ["findings.csv", "rejected.csv", "summary.md"] {
            #expect(try scratch.mode("out/\(name)") == 0o600, "\(name)")
        }
        #expect(
            try scratch.read("out/findings.csv").hasPrefix(
                "rule_id,severity,claim_id,line_number,patient_id,service_date,code,message"))
        let rejected = try scratch.read("out/rejected.csv").split(separator: "\n")
        #expect(rejected.count == 2)
        #expect(rejected[1].hasPrefix("in/claims.csv,5,\"bad date in claim_line_start_date"))
        let summary = try scratch.read("out/summary.md")
        #expect(summary.contains("Rows read: 4 = 3 audited + 1 rejected"))
        #expect(run.stderr.contains("4 rows read (3 audited, 1 rejected)"))
    }

    @Test func quietPrintsNothing() throws {
        let scratch = ScratchFolder()
        scratch.write("claims.csv", Self.cleanClaims)
        let run = try PumpAuditProcess.run(
            ["audit", "claims.csv", "--out", "out", "--quiet"] + Self.allowTheBadRow, in: scratch.path)
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        #expect(run.stdout.isEmpty)
    }

    @Test func withNoInputItAuditsSampleClaimsIntoReports() throws {
        let scratch = ScratchFolder()
        scratch.write("SampleClaims/a.csv", Self.cleanClaims)
        let run = try PumpAuditProcess.run(["audit", "--quiet"] + Self.allowTheBadRow, in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try scratch.read("Reports/summary.md").contains("SampleClaims/a.csv"))
    }

    @Test func aMissingRequiredColumnExitsTwoAndSaysWhich() throws {
        let scratch = ScratchFolder()
        scratch.write("claims.csv", "Claim ID,Pateint ID,DOS,CPT\nC1,P1,10/05/2026,62367\n")
        let run = try PumpAuditProcess.run(["audit", "claims.csv", "--out", "out"], in: scratch.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("claims.csv:1: missing required column: person_id"))
        #expect(run.stderr.contains("'Pateint ID'"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/out/summary.md"))
    }

    @Test(arguments: [
        ["audit", "nope.csv"], ["audit", "--fail-on", "sometimes"], ["audit", "--no-such-flag"],
        ["frobnicate", "x", "y"],
    ])
    func badUsageAndUnreadableInputsExitTwo(arguments: [String]) throws {
        let scratch = ScratchFolder()
        let run = try PumpAuditProcess.run(arguments + ["--out", "out"], in: scratch.path)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("pumpaudit: "), "\(run.stderr)")
    }

    @Test func helpExitsZero() throws {
        let scratch = ScratchFolder()
        let run = try PumpAuditProcess.run(["audit", "--help"], in: scratch.path)
        #expect(run.status == 0)
        #expect(run.stdout.contains("--fail-on"))
    }
}

/// Rows of an RFC 4180 CSV text, for reading the reports back.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var characters = Array(text)[...]
    while let character = characters.popFirst() {
        if quoted {
            if character == "\"" {
                if characters.first == "\"" {
                    field.append("\"")
                    characters.removeFirst()
                } else {
                    quoted = false
                }
            } else {
                field.append(character)
            }
        } else if character == "\"" {
            quoted = true
        } else if character == "," {
            row.append(field)
            field = ""
        } else if character == "\n" {
            row.append(field)
            rows.append(row)
            row = []
            field = ""
        } else {
            field.append(character)
        }
    }
    if !field.isEmpty || !row.isEmpty {
        row.append(field)
        rows.append(row)
    }
    return rows
}
