import ClaimAudit
import Foundation
import TestSupport
import Testing

/// September first, then October with the same store: the monthly audit a
/// compliance officer runs.
@Suite struct MonthlyHistoryTests {
    static let header =
        "claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity,place_of_service_code,rendering_npi,paid_amount\n"
    static let september =
        header + """
            S1,1,P1,2026-09-22,62369,1,11,1111111112,120.00
            S2,1,P2,2026-09-01,62369,1,11,1111111112,120.00
            S3,1,P3,2026-09-15,95990,1,11,1111111112,80.00

            """
    static let october =
        header + """
            O1,1,P1,2026-09-30,62369,1,11,1111111112,120.00
            O2,1,P2,2026-10-27,62369,1,11,1111111112,120.00
            O3,1,P3,2026-10-20,95990,1,11,1111111112,80.00
            O4,1,P3,2026-10-25,95990,1,11,1111111112,80.00

            """

    private func audit(_ scratch: ScratchFolder, _ file: String, period: String, out: String) throws -> PumpAuditProcess
    {
        try PumpAuditProcess.run(
            [
                "audit", file, "--out", out, "--history", "store/history.sqlite", "--period", period,
                "--fail-on", "never",
            ], in: scratch.path)
    }

    /// The findings of a run, less encounter_linkage's notes: these refills at the office
    /// carry no drug line, which that rule notes on every one of them.
    private func findings(_ scratch: ScratchFolder, _ out: String) throws -> [[String]] {
        Array(parseCSV(try scratch.read(out + "/findings.csv")).dropFirst()).filter {
            $0[0] != EncounterLinkageRule.description.identifier
        }
    }

    @Test func octoberIsMeasuredAgainstSeptember() throws {
        let scratch = ScratchFolder()
        scratch.write("sept.csv", Self.september)
        scratch.write("oct.csv", Self.october)
        let first = try audit(scratch, "sept.csv", period: "2026-09", out: "sept-out")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try findings(scratch, "sept-out").isEmpty)

        let second = try audit(scratch, "oct.csv", period: "2026-10", out: "oct-out")
        #expect(second.status == 0, "\(second.stderr)")
        let rows = try findings(scratch, "oct-out")
        // O1 (P1, 8 days after September's S1) is in the file but dated September:
        // outside the period, so context only. O4 is 5 days after O3; O2 is 56 days
        // after S2 and fine.
        #expect(rows.map { $0[2] } == ["O4"])
        #expect(rows.first?[0] == AbnormalIntervalRule.description.identifier)

        // The 8-day refill is flagged when its month is audited with September in the store.
        scratch.write("late.csv", Self.header + "L1,1,P1,2026-10-01,62369,1,11,1111111112,120.00\n")
        _ = try audit(scratch, "late.csv", period: "2026-10", out: "late-out")
        let late = try findings(scratch, "late-out")
        #expect(late.map { $0[2] } == ["L1"])
        #expect(late.first?[8] == "O1")
        #expect(
            late.first?[7].hasPrefix("refill 1 day after the previous refill, claim O1 line 1 (62369) on 2026-09-30")
                == true)
    }

    @Test func anOctoberRefillEightDaysAfterASeptemberRefillIsFlaggedAndRerunsAreIdentical() throws {
        let scratch = ScratchFolder()
        scratch.write(
            "sept.csv",
            Self.header
                + "S1,1,P1,2026-09-26,62369,1,11,1111111112,120.00\nS2,1,P2,2026-09-01,62369,1,11,1111111112,120.00\n")
        scratch.write(
            "oct.csv",
            Self.header
                + "O1,1,P1,2026-10-04,62369,1,11,1111111112,120.00\nO2,1,P2,2026-10-27,62369,1,11,1111111112,120.00\n")
        _ = try audit(scratch, "sept.csv", period: "2026-09", out: "sept-out")
        let october = try audit(scratch, "oct.csv", period: "2026-10", out: "oct-out")
        #expect(october.status == 0, "\(october.stderr)")
        let rows = try findings(scratch, "oct-out")
        #expect(rows.map { $0[2] } == ["O1"])
        #expect(rows.first?[7].contains("refill 8 days after the previous refill") == true)
        #expect(rows.first?[8] == "S1")

        let firstCSV = try scratch.read("oct-out/findings.csv")
        _ = try audit(scratch, "oct.csv", period: "2026-10", out: "oct-again")
        #expect(try scratch.read("oct-again/findings.csv") == firstCSV)
        _ = try audit(scratch, "oct.csv", period: "2026-10", out: "oct-third")
        #expect(try scratch.read("oct-third/findings.csv") == firstCSV)
    }

    @Test func aRerunNeitherDoublesUnitsNorMakesAZeroDayInterval() throws {
        let scratch = ScratchFolder()
        scratch.write(
            "oct.csv",
            Self.header
                + "O1,1,P1,2026-10-04,95990,1,11,1111111112,80.00\nO2,1,P1,2026-11-20,62367,1,11,1111111112,70.00\n")
        for out in ["first", "second", "third"] {
            let run = try audit(scratch, "oct.csv", period: "2026-10", out: out)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try findings(scratch, out).isEmpty, "\(out) run")
        }
        #expect(try scratch.read("third/summary.md").contains("2 lines of 1 patient from 3 runs"))
    }

    @Test func aRefillSplitAcrossAnEarlierFileAndThisOneIsOneEncounter() throws {
        let scratch = ScratchFolder()
        scratch.write("sept.csv", Self.header + "S1,1,P1,2026-09-30,62369,1,11,1111111112,120.00\n")
        scratch.write("oct.csv", Self.header + "O1,1,P1,2026-09-30,95990,1,11,1111111112,80.00\n")
        _ = try audit(scratch, "sept.csv", period: "2026-09", out: "sept-out")
        let run = try PumpAuditProcess.run(
            [
                "audit", "oct.csv", "--out", "oct-out", "--history", "store/history.sqlite",
                "--fail-on", "never",
            ], in: scratch.path)
        #expect(run.status == 0)
        let rows = try findings(scratch, "oct-out")
        #expect(rows.map { $0[0] } == [UnbundlingRule.description.identifier])
        #expect(rows.first?[8] == "S1")
    }

    @Test func noHistoryForgetsSeptember() throws {
        let scratch = ScratchFolder()
        scratch.write("sept.csv", Self.header + "S1,1,P1,2026-09-26,62369,1,11,1111111112,120.00\n")
        scratch.write("oct.csv", Self.header + "O1,1,P1,2026-10-04,62369,1,11,1111111112,120.00\n")
        _ = try audit(scratch, "sept.csv", period: "2026-09", out: "sept-out")
        let run = try PumpAuditProcess.run(["audit", "oct.csv", "--out", "oct-out", "--no-history"], in: scratch.path)
        #expect(run.status == 0)
        #expect(try findings(scratch, "oct-out").isEmpty)
        #expect(try scratch.read("oct-out/summary.md").contains("History store: none"))
    }

    @Test func theDefaultStoreLivesUnderXDGDataHome() throws {
        let scratch = ScratchFolder()
        scratch.write("sept.csv", Self.september)
        let run = try PumpAuditProcess.run(["audit", "sept.csv", "--out", "out"], in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/xdg-data/pumpaudit/history.sqlite"))
        #expect(try scratch.mode("xdg-data/pumpaudit/history.sqlite") == 0o600)
    }

    /// The reports and the history store name a period as the user gave it, an open
    /// end included; O4 (2026-10-25, 5 days after O3) is flagged only inside it.
    @Test(arguments: [
        (["--period", "2026-10"], "2026-10", ["O4"]),
        (["--from", "2026-10-21", "--to", "2026-10-31"], "2026-10-21..2026-10-31", ["O4"]),
        (["--from", "2026-10-21"], "from 2026-10-21", ["O4"]),
        (["--from", "2026-10-26"], "from 2026-10-26", []),
        (["--to", "2026-10-25"], "up to 2026-10-25", ["O4"]),
        (["--to", "2026-10-24"], "up to 2026-10-24", []),
    ])
    func aPeriodIsNamedAsGiven(arguments: [String], label: String, flagged: [String]) throws {
        let scratch = ScratchFolder()
        scratch.write("oct.csv", Self.october)
        let run = try PumpAuditProcess.run(
            ["audit", "oct.csv", "--out", "out", "--history", "h.sqlite", "--fail-on", "never"] + arguments,
            in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try findings(scratch, "out").map { $0[2] } == flagged)
        let summary = try scratch.read("out/summary.md")
        #expect(summary.contains("- Period: \(label) (findings on lines of these dates only"), "\(summary)")
        #expect(try scratch.read("out/findings.json").contains("\"period\": \"\(label)\""))
        let stored = try FaultTests.python(
            "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT period FROM run').fetchone()[0])",
            [scratch.file("h.sqlite")])
        #expect(stored == label)
    }

    @Test(arguments: [
        ["--period", "2026-13"], ["--period", "2026-10", "--from", "2026-10-01"],
        ["--from", "2026-10-31", "--to", "2026-10-01"],
        ["--no-history", "--history", "x.sqlite"],
    ])
    func badPeriodsAndHistoryOptionsExitTwo(arguments: [String]) throws {
        let scratch = ScratchFolder()
        scratch.write("sept.csv", Self.september)
        let run = try PumpAuditProcess.run(["audit", "sept.csv", "--out", "out"] + arguments, in: scratch.path)
        #expect(run.status == 2, "\(run.stderr)")
    }
}
