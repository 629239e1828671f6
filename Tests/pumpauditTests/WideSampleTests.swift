import Foundation
import TestSupport
import Testing

/// The wide sample (DE-SynPUF carrier layout) audited by the built binary, beside the
/// same service lines written one per row; and the `--columns` options around it.
@Suite struct WideSampleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let wideSample = root.appendingPathComponent("SampleClaims/07_desynpuf_carrier_wide.csv").path
    static let carrierFixture = root.appendingPathComponent(
        "Tests/Fixtures/RealLayouts/desynpuf_carrier_sample.csv"
    ).path

    /// The sample's rows rewritten one service line a row, in canonical columns: each
    /// filled `HCPCS_CD_n` is line n, with its NPI, amounts and line diagnosis, then the
    /// claim's diagnoses; claim dates only, as in the wide file.
    static func longForm(of wide: String) -> String {
        let rows = parseCSV(wide)
        let header = rows[0]
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        var text =
            "claim_id,claim_line_number,person_id,claim_start_date,claim_end_date,hcpcs_code,rendering_npi,"
            + "paid_amount,allowed_amount," + (1...9).map { "diagnosis_code_\($0)" }.joined(separator: ",") + "\n"
        for row in rows.dropFirst() where row.count == header.count {
            for n in 1...13 where !row[column("HCPCS_CD_\(n)")].isEmpty {
                let claimDiagnoses = (1...8).map { row[column("ICD9_DGNS_CD_\($0)")] }
                let cells =
                    [
                        row[column("CLM_ID")], "\(n)", row[column("DESYNPUF_ID")], row[column("CLM_FROM_DT")],
                        row[column("CLM_THRU_DT")], row[column("HCPCS_CD_\(n)")], row[column("PRF_PHYSN_NPI_\(n)")],
                        row[column("LINE_NCH_PMT_AMT_\(n)")], row[column("LINE_ALOWD_CHRG_AMT_\(n)")],
                        row[column("LINE_ICD9_DGNS_CD_\(n)")],
                    ] + claimDiagnoses
                text += cells.joined(separator: ",") + "\n"
            }
        }
        return text
    }

    /// The findings of one run, without the columns that name the source file and line.
    private func findings(_ arguments: [String], in scratch: ScratchFolder) throws -> (
        status: Int32, findings: [[String]], summary: String, stderr: String
    ) {
        let run = try PumpAuditProcess.run(["audit"] + arguments + ["--out", "out", "--no-history"], in: scratch.path)
        let rows = parseCSV(try scratch.read("out/findings.csv")).dropFirst().map { Array($0.prefix(14)) }
        return (run.status, rows, try scratch.read("out/summary.md"), run.stderr)
    }

    @Test func theWideSampleGivesTheFindingsOfItsLinesInALongLayout() throws {
        let scratch = ScratchFolder()
        let wide = try findings([Self.wideSample], in: scratch)
        let long = scratch.write(
            "long.csv", Self.longForm(of: try String(contentsOfFile: Self.wideSample, encoding: .utf8)))
        let longRun = try findings([long], in: ScratchFolder())
        #expect(wide.status == 1, "\(wide.stderr)")
        #expect(wide.findings.count >= 5)
        // The report orders findings by source line, which the lines of one wide row share:
        // the same findings, in another order among a row's lines.
        #expect(
            wide.findings.sorted { $0.lexicographicallyPrecedes($1) }
                == longRun.findings.sorted { $0.lexicographicallyPrecedes($1) })
        // The file has no modifier column: its drug lines are not flagged for lacking JW or JZ.
        #expect(wide.summary.contains("has no modifier column"), "\(wide.summary)")
        // Every rule the sample's scenarios name fires on it.
        let rules = Set(wide.findings.map { $0[0] })
        #expect(
            rules == [
                "unbundling", "missing_complexity_justification", "same_day_em", "medical_necessity",
                "abnormal_interval",
            ])
        #expect(wide.summary.contains("its 7 rows became 13 service lines"), "\(wide.summary)")
        #expect(wide.summary.contains("Rows read: 13 = 13 audited + 0 rejected"))
        #expect(!wide.stderr.contains("columns ignored"))
        #expect(try scratch.read("out/report.html").contains("its 7 rows became 13 service lines"))
    }

    /// Outpatient pump claims in the real DE-SynPUF outpatient layout (its header copied
    /// from the fixture), beside the same lines one a row as facility lines: the same
    /// findings, which only a facility line gives (the outpatient hospital tables).
    @Test func deSynPUFOutpatientClaimsGiveTheFindingsOfTheirLinesInALongLayout() throws {
        let fixture = Self.root.appendingPathComponent("Tests/Fixtures/RealLayouts/desynpuf_outpatient_sample.csv").path
        let header = parseCSV(try String(contentsOfFile: fixture, encoding: .utf8))[0]
        // Claim, patient, date, attending NPI, principal diagnosis, codes.
        let claims: [(String, String, String, String, String, [String])] = [
            ("OP-1", "0000000000000A01", "20261005", "1457382913", "G8929", ["62368", "62369"]),
            ("OP-2", "0000000000000A02", "20261006", "1457382913", "R252", ["95990", "95990"]),
            ("OP-3", "0000000000000A03", "20261007", "1457382913", "G35", ["62369", "72148"]),
        ]
        var wide = header.joined(separator: ",") + "\n"
        var long =
            "claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,hcpcs_code,"
            + "rendering_npi,diagnosis_code_1\n"
        for (claim, patient, date, npi, diagnosis, codes) in claims {
            var row = [String](repeating: "", count: header.count)
            func set(_ name: String, _ value: String) { row[header.firstIndex(of: name)!] = value }
            set("DESYNPUF_ID", patient)
            set("CLM_ID", claim)
            set("SEGMENT", "1")
            set("CLM_FROM_DT", date)
            set("CLM_THRU_DT", date)
            set("PRVDR_NUM", "1513WQ")
            set("AT_PHYSN_NPI", npi)
            set("ICD9_DGNS_CD_1", diagnosis)
            for (index, code) in codes.enumerated() {
                set("HCPCS_CD_\(index + 1)", code)
                long += "\(claim),\(index + 1),institutional,\(patient),\(date),\(date),\(code),\(npi),\(diagnosis)\n"
            }
            wide += row.joined(separator: ",") + "\n"
        }
        let scratch = ScratchFolder()
        let wideRun = try findings([scratch.write("outpatient.csv", wide)], in: scratch)
        let longRun = try findings([scratch.write("long.csv", long)], in: ScratchFolder())
        #expect(wideRun.status == 1, "\(wideRun.stderr)")
        #expect(
            wideRun.findings.sorted { $0.lexicographicallyPrecedes($1) }
                == longRun.findings.sorted { $0.lexicographicallyPrecedes($1) })
        let rules = Set(wideRun.findings.map { $0[0] })
        #expect(rules.isSuperset(of: ["unbundling", "mue_excess", "medical_necessity"]), "\(rules)")
        #expect(wideRun.summary.contains("DE-SynPUF outpatient"), "\(wideRun.summary)")
    }

    /// A wide line is keyed by its claim id and line number like any other: the same
    /// export given twice is read once, and the findings do not double.
    @Test func theSameWideExportTwiceIsReadOnce() throws {
        let scratch = ScratchFolder()
        let text = try String(contentsOfFile: Self.wideSample, encoding: .utf8)
        scratch.write("a/first.csv", text)
        scratch.write("a/second.csv", text)
        let twice = try findings(["a/first.csv", "a/second.csv"], in: scratch)
        let once = try findings([Self.wideSample], in: ScratchFolder())
        #expect(twice.findings.map { Array($0.prefix(12)) } == once.findings.map { Array($0.prefix(12)) })
        #expect(twice.summary.contains("Lines dropped before the rules: 10 = 10 duplicate"), "\(twice.summary)")
    }

    /// A mapping that reads one line of a wide file: the run still audits, and both the
    /// summary and standard error name the columns it leaves unread.
    @Test func aNarrowingMappingIsNamedInTheSummaryAndOnStandardError() throws {
        let scratch = ScratchFolder()
        scratch.write("narrow.yml", "hcpcs_code: HCPCS_CD_1\n")
        let run = try findings(
            [Self.carrierFixture, "--columns", "narrow.yml", "--skip-npi-check"], in: scratch)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("columns ignored"), "\(run.stderr)")
        #expect(run.stderr.contains("HCPCS_CD_2..HCPCS_CD_13"), "\(run.stderr)")
        #expect(run.summary.contains("HCPCS\\_CD\\_2..HCPCS\\_CD\\_13"), "\(run.summary)")
    }

    /// `--columns FILE=MAP.yml` maps one input; the plain `--columns MAP.yml` the others.
    @Test func aMappingCanBeGivenPerFile() throws {
        let scratch = ScratchFolder()
        scratch.write(
            "pm.csv", "Encounter,Pt,Svc Dt,Svc Code\nE1,PT-1,10/05/2026,62370\n")
        scratch.write(
            "tuva.csv", "claim_id,person_id,claim_line_start_date,hcpcs_code\nC1,PT-2,2026-10-06,62370\n")
        scratch.write(
            "pm.yml", "claim_id: Encounter\nperson_id: Pt\nclaim_line_start_date: Svc Dt\nhcpcs_code: Svc Code\n")
        // Read with this mapping, pm.csv would take its encounter for the patient.
        scratch.write("all.yml", "person_id: Encounter\n")
        let run = try findings(
            ["pm.csv", "tuva.csv", "--columns", "all.yml", "--columns", "./pm.csv=pm.yml"], in: scratch)
        #expect(run.status == 1, "\(run.stderr)")
        let patients = Set(run.findings.map { $0[4] })
        #expect(patients == ["PT-1", "PT-2"])

        // Without its own mapping, pm.csv cannot be read.
        let without = try PumpAuditProcess.run(
            ["audit", "pm.csv", "tuva.csv", "--out", "out2", "--no-history"], in: scratch.path)
        #expect(without.status == 2)
        #expect(without.stderr.contains("pm.csv:1: missing required column"))
    }

    /// Standard input is named `stdin` in `--columns stdin=MAP.yml` (a value starting with `-` would read as an option).
    @Test func standardInputTakesTheMappingOfDash() throws {
        let scratch = ScratchFolder()
        let input = scratch.write("pm.csv", "Encounter,Pt,Svc Dt,Svc Code\nE1,PT-1,10/05/2026,62370\n")
        scratch.write(
            "pm.yml", "claim_id: Encounter\nperson_id: Pt\nclaim_line_start_date: Svc Dt\nhcpcs_code: Svc Code\n")
        let run = try PumpAuditProcess.run(
            ["audit", "-", "--out", "out", "--no-history", "--columns", "stdin=pm.yml"], in: scratch.path, stdin: input)
        #expect(run.status == 1, "\(run.stderr)")
        let rows = parseCSV(try scratch.read("out/findings.csv")).dropFirst()
        #expect(rows.contains { $0[4] == "PT-1" && $0[0] == "missing_complexity_justification" })
    }

    @Test(arguments: [
        (["--columns", "other.csv=pm.yml"], "other.csv is not one of the inputs"),
        (["--columns", "pm.yml", "--columns", "pm2.yml"], "already the mapping for every input"),
        (["--columns", "pm.csv=pm.yml", "--columns", "pm.csv=pm.yml"], "given two mappings"),
    ])
    func aPerFileMappingThatCannotApplyStopsTheRun(options: [String], message: String) throws {
        let scratch = ScratchFolder()
        scratch.write("pm.csv", "Encounter,Pt,Svc Dt,Svc Code\nE1,PT-1,10/05/2026,62370\n")
        scratch.write(
            "pm.yml", "claim_id: Encounter\nperson_id: Pt\nclaim_line_start_date: Svc Dt\nhcpcs_code: Svc Code\n")
        scratch.write("pm2.yml", "claim_id: Encounter\n")
        let run = try PumpAuditProcess.run(
            ["audit", "pm.csv", "--out", "out", "--no-history"] + options, in: scratch.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }
}
