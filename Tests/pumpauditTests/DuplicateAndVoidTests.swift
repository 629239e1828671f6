import ClaimAudit
import Foundation
import TestSupport
import Testing

/// Inputs read twice, voided or reversed must not turn into findings.
@Suite struct DuplicateAndVoidTests {
    private func audit(_ inputs: [String], in scratch: ScratchFolder) throws -> (rows: [[String]], summary: String) {
        let run = try PumpAuditProcess.run(
            ["audit"] + inputs + ["--out", "out", "--no-history", "--fail-on", "never"], in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        return (Array(parseCSV(try scratch.read("out/findings.csv")).dropFirst()), try scratch.read("out/summary.md"))
    }

    /// The same file given twice (or the same lines in two exports) gives the findings of
    /// one reading, and the summary says how many lines were dropped.
    @Test func theSameFileTwiceGivesTheSameFindingsAsOnce() throws {
        let scratch = ScratchFolder()
        let tuva = SampleAuditTests.samples + "/01_tuva_medical_claim.csv"
        let once = try audit([SampleAuditTests.samples], in: scratch)
        let twice = try audit([SampleAuditTests.samples, tuva], in: scratch)
        #expect(!once.rows.isEmpty)
        #expect(twice.rows == once.rows)
        // Every in-scope line of the Tuva sample's pump patients, codes the NCCI edits pair
        // with pump codes included, and of its patients with a single-dose drug line (which
        // opens an audit). The sample's lines of patients with neither are set aside with
        // those patients' other lines before duplicates are looked for.
        #expect(twice.summary.contains("Lines dropped before the rules: 64 = 64 duplicate (read twice)"))
        #expect(!once.summary.contains("Lines dropped before the rules"))
    }

    /// A claim billed, voided (frequency 8) and billed again, and a line reversed by a
    /// negative line: one 95990 each, so no MUE excess.
    @Test func aVoidOrAReversalNetsOutInsteadOfDoubling() throws {
        let scratch = ScratchFolder()
        let header =
            "claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity,"
            + "place_of_service_code,rendering_npi,billing_npi,claim_frequency_code,paid_amount\n"
        scratch.write(
            "in/a.csv",
            header + """
                V1,1,P1,2026-10-05,95990,1,11,1111111112,1111111112,1,80.00
                R1,1,P2,2026-10-05,95990,1,11,1111111112,1111111112,1,80.00

                """)
        scratch.write(
            "in/b.csv",
            header + """
                V1,1,P1,2026-10-05,95990,1,11,1111111112,1111111112,8,0.00
                V2,1,P1,2026-10-05,95990,1,11,1111111112,1111111112,1,80.00
                R1,2,P2,2026-10-05,95990,-1,11,1111111112,1111111112,1,-80.00
                R2,1,P2,2026-10-05,95990,1,11,1111111112,1111111112,1,80.00

                """)
        let result = try audit(["in"], in: scratch)
        #expect(!result.rows.contains { $0[0] == MUEExcessRule.description.identifier }, "\(result.rows)")
        #expect(result.summary.contains("Lines dropped before the rules: 4 = 0 duplicate (read twice), 2 voided"))
        #expect(result.summary.contains("2 reversed"))

        // Without the void and the reversal, the same services are an MUE excess.
        scratch.write("plain/a.csv", try scratch.read("in/a.csv"))
        scratch.write(
            "plain/b.csv",
            header + """
                V2,1,P1,2026-10-05,95990,1,11,1111111112,1111111112,1,80.00
                R2,1,P2,2026-10-05,95990,1,11,1111111112,1111111112,1,80.00

                """)
        let plain = try audit(["plain"], in: scratch)
        #expect(Set(plain.rows.filter { $0[0] == MUEExcessRule.description.identifier }.map { $0[4] }) == ["P1", "P2"])
    }
}
