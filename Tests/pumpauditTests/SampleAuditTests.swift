import ClaimAudit
import Foundation
import TestSupport
import Testing

/// The README's quick start, in a test: the samples audited with the built binary.
@Suite struct SampleAuditTests {
    /// The repository's SampleClaims folder.
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleClaims").path

    private func audit(_ extra: [String] = []) throws -> (
        run: PumpAuditProcess, rows: [[String]], summary: String, scratch: ScratchFolder
    ) {
        let scratch = ScratchFolder()
        let run = try PumpAuditProcess.run(
            ["audit", Self.samples, "--out", "out", "--no-history"] + extra, in: scratch.path)
        let rows = parseCSV(try scratch.read("out/findings.csv"))
        return (run, Array(rows.dropFirst()), try scratch.read("out/summary.md"), scratch)
    }

    @Test func everyRuleFiresOnTheSamplesAndTheRunExitsOne() throws {
        let result = try audit()
        #expect(result.run.status == 1, "\(result.run.stderr)")
        let rules = Set(result.rows.map { $0[0] })
        #expect(rules == Set(RuleRegistry.all.map { $0.description.identifier }))
        #expect(
            result.summary.contains(
                "Rows read: 628 = 627 audited + 1 rejected (the rows of wide exports count as their service lines: 7 rows became 13)"
            ))
        // No CMS edit pairs a pump code with an E/M visit: the samples' visits are no unbundling.
        let visits = Set((99202...99215).map(String.init))
        #expect(!result.rows.contains { $0[0] == UnbundlingRule.description.identifier && visits.contains($0[6]) })
        #expect(result.summary.contains("NCCI PTP edits, practitioner: built-in NCCI practitioner PTP 2024-07-01"))
        #expect(try result.scratch.read("out/rejected.csv").contains("13/45/2026"))
    }

    /// The OIG cross-match on facility claims in their real shapes: a Tuva outpatient claim
    /// of revenue-code lines without line dates, a Tuva inpatient stay around a professional
    /// line's date, and a CMS RIF outpatient claim beside a carrier line.
    @Test func theFacilityCrossMatchFiresOnRealFacilityLayouts() throws {
        let rows = try audit().rows
        let crossMatched = rows.filter {
            $0[0] == PlaceOfServiceMismatchRule.description.identifier && $0[1] == "error" && !$0[8].isEmpty
        }
        let pairs = Set(crossMatched.map { "\($0[2])>\($0[8])" })
        #expect(pairs.isSuperset(of: ["CLM26-0181>CLM26-H181", "CLM26-0182>CLM26-I182", "26091600142>26091600141"]))
        // The facility lines themselves are context, never a finding's subject.
        #expect(!rows.contains { ["CLM26-H181", "CLM26-I182", "26091600141"].contains($0[2]) })
    }

    @Test func theSummarySaysWhichInputsHaveNoJustificationColumn() throws {
        let summary = try audit().summary
        // Markdown escapes the underscores of file names.
        #expect(summary.contains("03\\_cms\\_carrier.psv has no justification column"))
        #expect(!summary.contains("01\\_tuva\\_medical\\_claim.csv has no justification column"))
    }

    @Test func failOnSetsTheThreshold() throws {
        #expect(try audit(["--fail-on", "never"]).run.status == 0)
        #expect(try audit(["--fail-on", "error"]).run.status == 1)
    }

    @Test func loadedCMSFilesChangeTheFindings() throws {
        let plain = try audit().rows
        let loaded = try audit([
            "--ptp", Self.samples + "/reference/ptp_practitioner_sample.txt",
            "--mue", Self.samples + "/reference/mue_practitioner_sample.csv",
        ])
        #expect(loaded.run.status == 1)
        func units62370(_ rows: [[String]]) -> Int {
            rows.filter { $0[0] == MUEExcessRule.description.identifier && $0[6] == "62370" }.count
        }
        #expect(units62370(plain) > 0)
        #expect(units62370(loaded.rows) == 0)
        #expect(loaded.summary.contains("replacing the built-in table"))
        #expect(
            loaded.summary.contains("ptp\\_practitioner\\_sample.txt (4 edits, effective 2004-01-01 to 2026-01-01)"))
    }

    @Test func locationsAddTheExpectedPlaceCheck() throws {
        let plain = try audit().rows
        let located = try audit(["--locations", Self.samples + "/reference/locations_sample.csv"]).rows
        let extra = located.filter { row in !plain.contains(row) }
        #expect(!extra.isEmpty)
        #expect(extra.allSatisfy { $0[0] == PlaceOfServiceMismatchRule.description.identifier && $0[1] == "warning" })
    }

    @Test func aReferenceFileInAnotherLayoutExitsTwo() throws {
        let scratch = ScratchFolder()
        let run = try PumpAuditProcess.run(
            [
                "audit", Self.samples, "--out", "out", "--no-history", "--mue",
                Self.samples + "/01_tuva_medical_claim.csv",
            ],
            in: scratch.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("not a CMS practitioner MUE file"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/out/findings.csv"))
    }
}
