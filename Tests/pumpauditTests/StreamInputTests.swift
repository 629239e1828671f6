import Foundation
import TestSupport
import Testing

/// `zcat dump.gz | pumpaudit audit -` and `pumpaudit audit dump.csv.gz`, as cron runs
/// them: the same findings as the plain file, with the history store and a period.
@Suite struct StreamInputTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleClaims/01_tuva_medical_claim.csv").path

    /// The findings without the two columns that name the input.
    private func findings(_ folder: String, _ report: String) throws -> [String] {
        let text = try String(contentsOfFile: "\(folder)/\(report)/findings.csv", encoding: .utf8)
        return text.split(separator: "\n").map { line in
            // source_file and source_line come before the last column, provider_npi, and
            // none of the three is quoted here.
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            return (fields.dropLast(3) + fields.suffix(1)).joined(separator: ",")
        }
    }

    @Test func standardInputAndGzipGiveThePlainFilesFindings() throws {
        let scratch = ScratchFolder()
        let plain = try PumpAuditProcess.run(
            ["audit", Self.sample, "--out", "plain", "--period", "2026-09", "--history", "plain.sqlite"],
            in: scratch.path)
        #expect(plain.status == 1, "\(plain.stderr)")
        let compressed = try gzipped(Array(try Data(contentsOf: URL(fileURLWithPath: Self.sample))))
        let zipped = scratch.path + "/claims.csv.gz"
        FileManager.default.createFile(atPath: zipped, contents: Data(compressed))

        let fromFile = try PumpAuditProcess.run(
            ["audit", "claims.csv.gz", "--out", "gz", "--period", "2026-09", "--history", "gz.sqlite"],
            in: scratch.path)
        #expect(fromFile.status == 1, "\(fromFile.stderr)")
        let piped = try PumpAuditProcess.run(
            ["audit", "-", "--out", "stdin", "--period", "2026-09", "--history", "stdin.sqlite"], in: scratch.path,
            stdin: zipped)
        #expect(piped.status == 1, "\(piped.stderr)")

        let expected = try findings(scratch.path, "plain")
        #expect(expected.count > 5)
        #expect(try findings(scratch.path, "gz") == expected)
        #expect(try findings(scratch.path, "stdin") == expected)
        let summary = try scratch.read("stdin/summary.md")
        #expect(summary.contains("| stdin | comma, utf-8, gzip |"))
        #expect(try scratch.read("stdin/findings.csv").contains(",stdin,"))
        #expect(try scratch.read("gz/summary.md").contains("| claims.csv.gz | comma, utf-8, gzip |"))

        // The history store took the stream's run: the plain file's findings are then
        // recurring (another input, so another audit), none new.
        let again = try PumpAuditProcess.run(
            ["audit", Self.sample, "--out", "again", "--period", "2026-09", "--history", "stdin.sqlite"],
            in: scratch.path)
        #expect(again.status == 1, "\(again.stderr)")
        let statuses = try findings(scratch.path, "again").dropFirst().map {
            $0.split(separator: ",", omittingEmptySubsequences: false).dropLast().last ?? ""
        }
        #expect(!statuses.isEmpty && statuses.allSatisfy { $0 == "recurring" })
    }

    @Test func standardInputNamedTwiceStopsTheRun() throws {
        let scratch = ScratchFolder()
        let result = try PumpAuditProcess.run(["audit", "-", "-", "--out", "out", "--no-history"], in: scratch.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("standard input can be read once"))
    }
}
