import ClaimAudit
import Foundation
import TestSupport
import Testing

/// Pump drug lines through the built binary: the history store, the scope of ingest,
/// and the reports.
@Suite struct DrugLineTests {
    static let header =
        "claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,modifiers,service_unit_quantity,"
        + "place_of_service_code,rendering_npi,paid_amount\n"

    private let drugWaste = DrugWasteModifierRule.description.identifier
    private let linkage = EncounterLinkageRule.description.identifier

    private func audit(_ scratch: ScratchFolder, _ file: String, out: String, history: Bool = true) throws
        -> [[String]]
    {
        let store = history ? ["--history", "store/history.sqlite"] : ["--no-history"]
        let run = try PumpAuditProcess.run(
            ["audit", file, "--out", out, "--period", "2026-10", "--fail-on", "never"] + store, in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        return Array(parseCSV(try scratch.read(out + "/findings.csv")).dropFirst())
    }

    /// The monthly run: the refill was billed in an earlier file of the same date, which
    /// the history store holds; the drug line of this file finds it there.
    @Test func aDrugLinesRefillInAnEarlierFileOfTheSameDateIsFound() throws {
        let scratch = ScratchFolder()
        scratch.write("refills.csv", Self.header + "R1,1,P1,2026-10-05,95990,,1,11,1111111112,80.00\n")
        scratch.write("drugs.csv", Self.header + "D1,1,P1,2026-10-05,J0475,JZ,3,11,1111111112,70.00\n")
        let first = try audit(scratch, "refills.csv", out: "first")
        // Alone in its file, the office refill has no drug: only noted.
        #expect(first.map { "\($0[0]) \($0[1]) \($0[2])" } == ["\(linkage) info R1"])
        let second = try audit(scratch, "drugs.csv", out: "second")
        #expect(second.isEmpty, "\(second)")
        // Without the store the drug line has lost its refill.
        let alone = try audit(scratch, "drugs.csv", out: "alone", history: false)
        #expect(alone.map { "\($0[0]) \($0[1]) \($0[2])" } == ["\(linkage) warning D1"])
    }

    /// A patient whose only line is a single-dose drug is audited, and the store keeps
    /// the line: a later file's office refill of that date finds its drug there.
    @Test func aDrugOnlyPatientsLineIsStoredAndReadBack() throws {
        let scratch = ScratchFolder()
        scratch.write("drugs.csv", Self.header + "D1,1,P2,2026-10-06,J2278,,100,11,1111111112,300.00\n")
        scratch.write("refills.csv", Self.header + "R1,1,P2,2026-10-06,95991,,1,11,1111111112,95.00\n")
        let first = try audit(scratch, "drugs.csv", out: "first")
        // Ziconotide with neither JW nor JZ, and no refill in sight.
        #expect(Set(first.map { "\($0[0]) \($0[1])" }) == ["\(drugWaste) error", "\(linkage) warning"])
        let second = try audit(scratch, "refills.csv", out: "second")
        #expect(!second.contains { $0[0] == linkage }, "\(second)")
        // A drug given by other routes (hydromorphone) alone leaves its patient set aside.
        scratch.write("other.csv", Self.header + "D2,1,P3,2026-10-07,J1170,,1,23,1111111112,30.00\n")
        #expect(try audit(scratch, "other.csv", out: "third").isEmpty)
    }

    /// J3490 belongs to no code family: the setting pump_drugs brings it into scope, so a
    /// pump patient's J3490 without a refill is flagged, and a code named in pumpaudit.yml
    /// is kept too.
    @Test func theCodesTheSettingsNameStayInScope() throws {
        let scratch = ScratchFolder()
        scratch.write(
            "claims.csv",
            Self.header
                + "C1,1,P1,2026-10-05,62367,,1,11,1111111112,70.00\nC1,2,P1,2026-10-05,J3490,,1,11,1111111112,20.00\n"
                + "C1,3,P1,2026-10-05,J9999,,1,11,1111111112,20.00\n")
        let rows = try audit(scratch, "claims.csv", out: "out", history: false)
        #expect(rows.map { "\($0[0]) \($0[6])" } == ["\(linkage) J3490"])
        scratch.write("pumpaudit.yml", "rules:\n  encounter_linkage:\n    pump_drugs: [J9999]\n")
        let configured = try PumpAuditProcess.run(
            ["audit", "claims.csv", "--out", "configured", "--no-history", "--config", "pumpaudit.yml"],
            in: scratch.path)
        #expect(configured.status == 1, "\(configured.stderr)")
        let flagged = Array(parseCSV(try scratch.read("configured/findings.csv")).dropFirst())
        #expect(flagged.map { "\($0[0]) \($0[6])" } == ["\(linkage) J9999"])
        // A single-dose drug of no code family, alone: kept, and its patient audited.
        scratch.write("alone.csv", Self.header + "C2,1,P2,2026-10-05,J9999,,1,11,1111111112,20.00\n")
        scratch.write("single.yml", "rules:\n  drug_waste_modifier:\n    single_dose_drugs: [J9999]\n")
        let single = try PumpAuditProcess.run(
            ["audit", "alone.csv", "--out", "single", "--no-history", "--config", "single.yml"], in: scratch.path)
        #expect(single.status == 1, "\(single.stderr)")
        let alone = Array(parseCSV(try scratch.read("single/findings.csv")).dropFirst())
        #expect(alone.map { "\($0[0]) \($0[1]) \($0[6])" } == ["\(drugWaste) error J9999"])
    }

    /// Both rules' findings reach every report of the samples.
    @Test func bothRulesAppearInEveryReport() throws {
        let scratch = ScratchFolder()
        let run = try PumpAuditProcess.run(
            ["audit", SampleAuditTests.samples, "--out", "out", "--no-history"], in: scratch.path)
        #expect(run.status == 1, "\(run.stderr)")
        for rule in [drugWaste, linkage] {
            #expect(try scratch.read("out/summary.md").contains("| \(rule) |"), "\(rule)")
            #expect(try scratch.read("out/report.html").contains(rule), "\(rule)")
            #expect(try scratch.read("out/findings.csv").contains("\n\(rule),"), "\(rule)")
            #expect(try scratch.read("out/findings.json").contains("\"\(rule)\""), "\(rule)")
        }
        let rows = Array(parseCSV(try scratch.read("out/findings.csv")).dropFirst())
        let flagged = Set(rows.filter { [drugWaste, linkage].contains($0[0]) && $0[1] != "info" }.map { $0[2] })
        // The sample lines made to trip them, and none of those made to stay silent.
        #expect(flagged == ["CLM26-0191", "CLM26-0192", "CLM26-0193", "CLM26-0194", "CLM26-0195", "CLM26-0197"])
    }
}
