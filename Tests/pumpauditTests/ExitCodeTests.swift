import Foundation
import TestSupport
import Testing

/// Exit codes a cron job can trust: a run whose inputs could not be read is never 0.
@Suite struct ExitCodeTests {
    static let header = "claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity\n"

    /// `good` readable rows (out of scope, so no finding) and `bad` rows with an impossible date.
    static func rows(good: Int, bad: Int) -> String {
        header + (0..<good).map { "G\($0),1,P\($0),2026-10-05,99999,1\n" }.joined()
            + (0..<bad).map { "B\($0),1,Q\($0),2026-02-30,62369,1\n" }.joined()
    }

    private func audit(_ files: [String: String], _ extra: [String] = []) throws -> (PumpAuditProcess, ScratchFolder) {
        let scratch = ScratchFolder()
        for (name, text) in files { scratch.write("in/" + name, text) }
        let run = try PumpAuditProcess.run(
            ["audit", "in", "--out", "out", "--no-history", "--fail-on", "never"] + extra, in: scratch.path)
        return (run, scratch)
    }

    @Test func anInputWhoseRowsAreAllRejectedExitsTwoAfterWritingTheReports() throws {
        let (run, scratch) = try audit(["a.csv": Self.rows(good: 200, bad: 0), "b.csv": Self.rows(good: 0, bad: 3)])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("b.csv: all 3 rows were rejected"), "\(run.stderr)")
        #expect(!run.stderr.contains("a.csv: all"))
        // The reports are there to say why.
        #expect(parseCSV(try scratch.read("out/rejected.csv")).count == 4)
        #expect(try scratch.read("out/summary.md").contains("Rows read: 203 = 200 audited + 3 rejected"))
    }

    @Test func aRunThatAuditedNothingExitsTwo() throws {
        let (run, _) = try audit(["a.csv": Self.header])
        #expect(run.status == 2)
        #expect(run.stderr.contains("the run audited nothing"), "\(run.stderr)")
    }

    @Test(
        arguments: [
            // (good rows, bad rows, --max-rejected or nil for the default 5%, exits 2)
            (95, 5, nil, false), (94, 6, nil, true), (90, 10, "20%", false), (90, 10, "10", false),
            (90, 10, "9.5", true), (100, 0, "0", false), (99, 1, "0%", true),
        ] as [(Int, Int, String?, Bool)])
    func aRejectedShareAboveMaxRejectedExitsTwo(good: Int, bad: Int, limit: String?, exitsTwo: Bool) throws {
        let (run, scratch) = try audit(
            ["a.csv": Self.rows(good: good, bad: bad)], limit.map { ["--max-rejected", $0] } ?? [])
        #expect(run.status == (exitsTwo ? 2 : 0), "\(good)/\(bad) at \(limit ?? "default"): \(run.stderr)")
        #expect(run.stderr.contains("more than --max-rejected") == exitsTwo, "\(run.stderr)")
        // Reports are written either way.
        #expect(try scratch.read("out/summary.md").contains("\(bad) rejected"))
    }

    @Test(arguments: ["101", "-1", "five", "5%%"])
    func aBadMaxRejectedIsAUsageError(value: String) throws {
        let (run, _) = try audit(["a.csv": Self.rows(good: 1, bad: 0)], ["--max-rejected", value])
        #expect(run.status == 2)
        #expect(run.stderr.contains("max-rejected"), "\(run.stderr)")
    }
}
