import ClaimAudit
import Foundation
import TestSupport
import Testing

/// `--ptp-outpatient` and `--mue-outpatient` through the built binary: institutional
/// lines meet the outpatient hospital tables, and a loaded file replaces the built-in one.
@Suite struct ReferenceOptionsTests {
    static let claims = """
        claim_id,claim_line_number,claim_type,person_id,claim_line_start_date,bill_type_code,hcpcs_code,service_unit_quantity,billing_npi,paid_amount
        F1,1,institutional,P1,2026-10-05,131,62370,1,1444444446,300.00
        F1,2,institutional,P1,2026-10-05,131,A4220,1,1444444446,40.00
        F1,3,institutional,P1,2026-10-05,131,J2274,150,1444444446,900.00
        F2,1,institutional,P2,2026-10-06,131,62369,1,1444444446,300.00
        F2,2,institutional,P2,2026-10-06,131,95990,1,1444444446,200.00

        """

    private func audit(_ extra: [String]) throws -> (status: Int32, rows: [[String]], summary: String) {
        let scratch = ScratchFolder()
        scratch.write("in/claims.csv", Self.claims)
        let run = try PumpAuditProcess.run(["audit", "in", "--out", "out", "--no-history"] + extra, in: scratch.path)
        let rows = Array(parseCSV(try scratch.read("out/findings.csv")).dropFirst())
        return (run.status, rows, try scratch.read("out/summary.md"))
    }

    /// "rule code" of each finding, sorted.
    private func found(_ rows: [[String]]) -> [String] {
        rows.map { "\($0[0]) \($0[6])" }.sorted()
    }

    private let mue = MUEExcessRule.description.identifier
    private let unbundling = UnbundlingRule.description.identifier

    @Test func theBuiltInOutpatientTablesEditInstitutionalLines() throws {
        let result = try audit([])
        #expect(result.status == 1)
        // A4220 into 62370, 95990 into 62369, and J2274 over the outpatient MUE of 100.
        #expect(
            found(result.rows)
                == ["\(mue) J2274", "\(unbundling) 95990", "\(unbundling) A4220"].sorted())
        let messages = result.rows.map { $0[7] }
        #expect(messages.contains { $0.contains("built-in NCCI outpatient hospital PTP 2024-07-01") })
        #expect(messages.contains { $0.contains("the MUE is 100") && $0.contains("built-in outpatient hospital MUE") })
        #expect(result.summary.contains("NCCI PTP edits, practitioner: built-in NCCI practitioner PTP 2024-07-01"))
        #expect(
            result.summary.contains(
                "NCCI PTP edits, outpatient hospital: built-in NCCI outpatient hospital PTP 2024-07-01"))
        #expect(result.summary.contains("MUE values, practitioner: built-in practitioner MUE 2024-07-01"))
        #expect(result.summary.contains("MUE values, outpatient hospital: built-in outpatient hospital MUE 2024-07-01"))
    }

    @Test func loadedOutpatientFilesReplaceTheBuiltInOutpatientTables() throws {
        let result = try audit([
            "--ptp-outpatient", sampleReference("ccioph-v303r0-f1-sample.txt"),
            "--mue-outpatient", sampleReference("MCR_MUE_OutpatientHospitalServices_Eff_07-01-2024-sample.csv"),
        ])
        #expect(result.status == 1)
        // The loaded ccioph sample has 62370/A4220 but not 62369/95990: the built-in row is gone.
        #expect(found(result.rows) == ["\(mue) J2274", "\(unbundling) A4220"].sorted())
        let messages = result.rows.map { $0[7] }
        #expect(messages.contains { $0.contains("ccioph-v303r0-f1-sample.txt edit") })
        #expect(messages.contains { $0.contains("MCR_MUE_OutpatientHospitalServices_Eff_07-01-2024-sample.csv") })
        #expect(result.summary.contains("NCCI PTP edits, outpatient hospital: loaded "))
        #expect(
            result.summary.contains(
                "ccioph-v303r0-f1-sample.txt (3 edits, effective 2009-01-01 to 2015-01-01), replacing the built-in table"
            ))
        #expect(result.summary.contains("NCCI PTP edits, practitioner: built-in NCCI practitioner PTP 2024-07-01"))
        #expect(result.summary.contains("MUE values, outpatient hospital: loaded "))
        #expect(
            result.summary.contains("MCR\\_MUE\\_OutpatientHospitalServices\\_Eff\\_07-01-2024-sample.csv (4 codes"))
    }

    @Test func practitionerFilesDoNotEditInstitutionalLines() throws {
        let result = try audit([
            "--ptp", sampleReference("ccipra-v303r0-f1-sample.txt"),
            "--mue", sampleReference("MCR_MUE_PractitionerServices_Eff_07-01-2024-sample.csv"),
        ])
        #expect(
            found(result.rows)
                == ["\(mue) J2274", "\(unbundling) 95990", "\(unbundling) A4220"].sorted())
        #expect(result.summary.contains("NCCI PTP edits, practitioner: loaded "))
        #expect(result.summary.contains("ccipra-v303r0-f1-sample.txt (6 edits"))
    }

    @Test func anOutpatientMUEFileGivenAsPractitionerExitsTwo() throws {
        let scratch = ScratchFolder()
        scratch.write("in/claims.csv", Self.claims)
        let run = try PumpAuditProcess.run(
            [
                "audit", "in", "--out", "out", "--no-history", "--mue",
                sampleReference("MCR_MUE_OutpatientHospitalServices_Eff_07-01-2024-sample.csv"),
            ], in: scratch.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("holds outpatient hospital MUE values, not practitioner ones"))
    }

    private func sampleReference(_ name: String) -> String {
        SampleAuditTests.samples + "/reference/" + name
    }
}
