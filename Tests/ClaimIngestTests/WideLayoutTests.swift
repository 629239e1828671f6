import ClaimModel
import Foundation
import TestSupport
import Testing

@testable import ClaimIngest

/// A file of `Tests/Fixtures/RealLayouts` (see its README).
private func fixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/RealLayouts/\(name)").path
}

private struct Read {
    var lines: [ClaimLine]
    var rejections: [Rejection]
    var summary: InputFileSummary
}

/// Reads one file; `inScope` adds codes to the scope so that the real samples' lines
/// (cataract surgery, nursing-home visits) reach the accept closure.
private func read(
    _ path: String, inScope: Set<String> = [], mapping: ColumnMapping = .none, checksNPIs: Bool = false,
    parallelism: Int = 1
) throws -> Read {
    var ingestor = ClaimIngestor(columnMapping: mapping, chunkSize: 4096)
    ingestor.checksNPIs = checksNPIs
    ingestor.additionalCodesInScope.formUnion(inScope)
    ingestor.parallelism = parallelism
    ingestor.minimumParallelBytes = 0
    var lines: [ClaimLine] = []
    var rejections: [Rejection] = []
    let summary = try ingestor.ingest(file: path, accept: { lines.append($0) }, reject: { rejections.append($0) })
    return Read(lines: lines, rejections: rejections, summary: summary)
}

private func date(_ text: String) throws -> ServiceDate {
    var bytes = Array(text.utf8)
    return try #require(bytes.withUnsafeMutableBufferPointer { FieldParsers.date(UnsafeBufferPointer($0)) })
}

/// A small wide export in the DE-SynPUF carrier shape, written here: `lines` are the
/// code, NPI and paid amount of each numbered column, empty strings for empty cells.
private func wideFile(_ rows: [(claim: String, patient: String, lines: [(String, String, String)])]) -> String {
    let numbers = 1...4
    var text =
        "DESYNPUF_ID,CLM_ID,CLM_FROM_DT,ICD9_DGNS_CD_1,"
        + numbers.map { "HCPCS_CD_\($0)" }.joined(separator: ",") + ","
        + numbers.map { "PRF_PHYSN_NPI_\($0)" }.joined(separator: ",") + ","
        + numbers.map { "LINE_NCH_PMT_AMT_\($0)" }.joined(separator: ",") + ","
        + numbers.map { "LINE_ICD9_DGNS_CD_\($0)" }.joined(separator: ",") + "\n"
    for row in rows {
        let padded = row.lines + Array(repeating: ("", "", ""), count: 4 - row.lines.count)
        text += "\(row.patient),\(row.claim),20261005,G35,"
        text += padded.map(\.0).joined(separator: ",") + "," + padded.map(\.1).joined(separator: ",") + ","
        text += padded.map(\.2).joined(separator: ",") + ","
        text += padded.map { $0.0.isEmpty ? "" : "G894" }.joined(separator: ",") + "\n"
    }
    return text
}

private let npi = "1382049579"

@Suite struct WideLayoutTests {
    /// The real DE-SynPUF carrier records: one row of one line, one of three. Each filled
    /// `HCPCS_CD_n` is line n, with the NPI, amounts and line diagnosis of the same n; the
    /// claim's id, patient, date and diagnoses are shared.
    @Test func deSynPUFCarrierRowsBecomeOneLinePerCode() throws {
        let result = try read(
            fixture("desynpuf_carrier_sample.csv"), inScope: ["66984", "99337", "90775", "17003"])
        #expect(result.rejections.isEmpty, "\(result.rejections.map(\.reason))")
        #expect(result.lines.map(\.code) == ["66984", "99337", "90775", "17003"])
        #expect(result.lines.map(\.lineNumber) == [1, 1, 2, 3])
        #expect(result.lines.map(\.claimID) == ["436313306961904"] + Array(repeating: "436463304724170", count: 3))
        #expect(result.lines.map(\.patientID) == ["0002056B40CEE448"] + Array(repeating: "0004D03F1BD5E607", count: 3))
        #expect(result.lines.allSatisfy { $0.claimType == .professional })
        #expect(result.lines.map(\.renderingNPI) == ["8914837640", "6513947302", "6513947302", "6513947302"])
        #expect(result.lines.map { $0.paidAmount.map { "\($0)" } } == ["80.00", "50.00", "10.00", "20.00"])
        #expect(result.lines.map { $0.allowedAmount.map { "\($0)" } } == ["100.00", "70.00", "10.00", "20.00"])
        // The line's own diagnosis first, then the claim's.
        #expect(result.lines[0].diagnosisCodes == ["36616", "36632", "36653", "37433", "37921"])
        #expect(result.lines[2].diagnosisCodes == ["V0481", "V0751", "4011", "25000"])
        // Claim dates only: CLM_FROM_DT dates every line.
        #expect(result.lines[1].serviceDate == (try date("20080828")))
        // Each line points at the row it came from.
        #expect(result.lines.map(\.source.line) == [2, 3, 3, 3])
        #expect(result.summary.recordsRead == 2)
        #expect(result.summary.rowsRead == 4)
        #expect(result.summary.rowsInScope == 4)
        #expect(result.summary.wideLayout?.hasPrefix("DE-SynPUF carrier") == true)
        #expect(result.summary.ignoredColumns.isEmpty)
        #expect(result.summary.fieldsPresent.contains("hcpcs_code"))
        #expect(result.summary.unmappedHeaders.contains("TAX_NUM_1"))
        #expect(!result.summary.unmappedHeaders.contains("HCPCS_CD_2"))
    }

    /// Out of scope, the same rows are counted per service line, whether the plain-line
    /// screen sets them aside or libcsv parses them.
    @Test func outOfScopeWideRowsCountTheirLines() throws {
        let result = try read(fixture("desynpuf_carrier_sample.csv"))
        #expect(result.lines.isEmpty)
        #expect(result.summary.rowsRead == 4)
        #expect(result.summary.rowsOutOfScope == 4)
        #expect(result.summary.recordsRead == 2)
    }

    /// DE-SynPUF outpatient and inpatient claims are facility claims: no type of bill or
    /// claim type says so, the layout does.
    @Test func deSynPUFOutpatientAndInpatientAreInstitutional() throws {
        let outpatient = try read(fixture("desynpuf_outpatient_sample.csv"))
        #expect(outpatient.rejections.isEmpty, "\(outpatient.rejections.map(\.reason))")
        #expect(outpatient.lines.map(\.code) == ["72114", "99282", "10061", "99213"])
        #expect(outpatient.lines.map(\.lineNumber) == [1, 2, 1, 2])
        #expect(outpatient.lines.allSatisfy { $0.claimType == .institutional })
        #expect(outpatient.lines.first?.renderingNPI == "2462820318")
        #expect(outpatient.lines.first?.diagnosisCodes == ["73603", "72402", "V1588"])
        #expect(outpatient.summary.wideLayout?.hasPrefix("DE-SynPUF outpatient, up to 45") == true)
        #expect(outpatient.summary.ignoredColumns.isEmpty)

        // Inpatient rows have no HCPCS at all: each is one facility line, context for the rules.
        let inpatient = try read(fixture("desynpuf_inpatient_sample.csv"))
        #expect(inpatient.rejections.isEmpty, "\(inpatient.rejections.map(\.reason))")
        #expect(inpatient.lines.map(\.code) == ["", ""])
        #expect(inpatient.lines.allSatisfy { $0.claimType == .institutional })
        #expect(inpatient.lines.first?.serviceDate == (try date("20090208")))
        #expect(inpatient.lines.first?.claimSpan == (try date("20090208"))...(try date("20090210")))
        #expect(inpatient.summary.wideLayout?.hasPrefix("DE-SynPUF inpatient") == true)
        #expect(inpatient.summary.rowsRead == 2)
    }

    /// A bad value in line 3's columns rejects line 3, naming its column and the row's
    /// line; the other lines of the row stay, and the counts reconcile in service lines.
    @Test func aBadValueRejectsOnlyItsServiceLine() throws {
        let scratch = ScratchFolder()
        let file = scratch.write(
            "wide.csv",
            wideFile([
                ("C1", "P1", [("62369", npi, "90.00"), ("J0475", npi, "12.00"), ("95990", npi, "ninety")]),
                ("C2", "P2", [("62367", npi, "40.00"), ("72148", npi, "300.00"), ("", "", ""), ("62368", "123", "1")]),
                ("C3", "P3", []),
            ]))
        let result = try read(file, checksNPIs: true)
        #expect(
            result.lines.map { "\($0.claimID)/\($0.lineNumber!)/\($0.code)" } == [
                "C1/1/62369", "C1/2/J0475", "C2/1/62367",
            ])
        let reasons = result.rejections.map { "\($0.source.line) \($0.reason)" }
        #expect(result.rejections.count == 3, "\(reasons)")
        #expect(
            reasons[0].hasPrefix("2 ") && reasons[0].contains("LINE_NCH_PMT_AMT_3") && reasons[0].contains("ninety"))
        #expect(reasons[1].hasPrefix("3 ") && reasons[1].contains("PRF_PHYSN_NPI_4"))
        // A row without any code is one line, rejected for its empty code as a long row would be.
        #expect(reasons[2].hasPrefix("4 ") && reasons[2].contains("HCPCS_CD_1"))
        let summary = result.summary
        #expect(summary.recordsRead == 3)
        #expect(summary.rowsRead == 7)
        #expect(summary.rowsInScope == 3)
        #expect(summary.rowsOutOfScope == 1)
        #expect(summary.rowsRejected == 3)
        #expect(summary.rowsRead == summary.rowsInScope + summary.rowsOutOfScope + summary.rowsRejected)
    }

    /// A row is in scope when any of its codes is: its pump line is kept and its other
    /// lines are counted out of scope; a row of only other codes is screened out whole,
    /// and the counts are the same as when every row goes through libcsv (quoted).
    @Test func theScreenCountsWideRowsAsTheParserDoes() throws {
        let rows: [(claim: String, patient: String, lines: [(String, String, String)])] = [
            ("C1", "P1", [("72148", npi, "1"), ("62369", npi, "2")]),
            ("C2", "P2", [("72148", npi, "1"), ("80053", npi, "2"), ("36415", npi, "3")]),
            ("C3", "P3", [("93000", npi, "1")]),
        ]
        let scratch = ScratchFolder()
        let plain = scratch.write("plain.csv", wideFile(rows))
        // The same rows with every cell quoted: no line is plain, libcsv parses them all.
        let quotedText =
            wideFile(rows).split(separator: "\n").map { line in
                line.split(separator: ",", omittingEmptySubsequences: false).map { "\"\($0)\"" }.joined(separator: ",")
            }.joined(separator: "\n") + "\n"
        let quoted = scratch.write("quoted.csv", quotedText)
        let a = try read(plain)
        let b = try read(quoted)
        #expect(a.lines.map(\.code) == ["62369"])
        #expect(a.lines.first?.lineNumber == 2)
        for result in [a, b] {
            #expect(result.summary.rowsRead == 6)
            #expect(result.summary.rowsInScope == 1)
            #expect(result.summary.rowsOutOfScope == 5)
            #expect(result.summary.recordsRead == 3)
        }
        #expect(
            a.lines
                == b.lines.map { line in
                    var moved = line; moved.source.file = a.lines[0].source.file; return moved
                })
    }

    /// A large wide file read on several cores gives what one core gives.
    @Test func severalCoresReadAWideFileAsOneDoes() throws {
        var rows: [(claim: String, patient: String, lines: [(String, String, String)])] = []
        let codes = ["62369", "J0475", "72148", "99213", "95990", "80053"]
        for i in 0..<3_000 {
            let count = 1 + i % 4
            let lines = (0..<count).map { n in (codes[(i + n) % codes.count], npi, i % 97 == n ? "x" : "\(n).00") }
            rows.append(("C\(i)", "P\(i % 41)", lines))
        }
        let scratch = ScratchFolder()
        let file = scratch.write("big.csv", wideFile(rows))
        let one = try read(file, parallelism: 1)
        let many = try read(file, parallelism: 3)
        #expect(one.lines == many.lines)
        #expect(one.rejections == many.rejections)
        #expect(one.summary == many.summary)
        #expect(one.summary.recordsRead == 3_000)
        #expect(one.summary.rowsRead == rows.reduce(0) { $0 + $1.lines.count })
        #expect(!one.rejections.isEmpty)
    }

    /// `--columns` declares any numbered pattern with `{n}`.
    @Test func aMappingDeclaresANumberedPattern() throws {
        let mapping = try ColumnMapping(
            [
                "claim_id": ["Encounter"], "person_id": ["Pt"], "claim_line_start_date": ["Svc Dt"],
                "hcpcs_code": ["Line {n} CPT"], "paid_amount": ["Line {n} Paid"],
                "service_unit_quantity": ["Line {n} Units"],
            ], file: "cols.yml")
        let scratch = ScratchFolder()
        let file = scratch.write(
            "pm.csv",
            "Encounter,Pt,Svc Dt,Line 1 CPT,Line 1 Paid,Line 1 Units,Line 2 CPT,Line 2 Paid,Line 2 Units\n"
                + "E1,P1,10/05/2026,62369,90.00,1,J0475,30.00,3\n")
        let result = try read(file, mapping: mapping)
        #expect(result.rejections.isEmpty, "\(result.rejections.map(\.reason))")
        #expect(result.lines.map(\.code) == ["62369", "J0475"])
        #expect(result.lines.map(\.units) == [1, 3])
        #expect(result.lines.map(\.lineNumber) == [1, 2])
        #expect(result.summary.wideLayout?.hasPrefix("numbered columns, up to 2") == true)
    }

    @Test(
        arguments: [
            ("HCPCS_CD_{n}", "HCPCS_CD_13", 13), ("HCPCS_CD_{n}", "hcpcs cd 2", 2), ("Line {n} CPT", "LINE_3_CPT", 3),
            ("HCPCS_CD_{n}", "HCPCS_CD", nil), ("HCPCS_CD_{n}", "HCPCS_CD_0", nil), ("HCPCS_CD_{n}", "HCPCS_CD_X", nil),
            ("Line {n} CPT", "Line 3 CPT Desc", nil),
        ] as [(String, String, Int?)])
    func aPatternReadsTheLineNumber(pattern: String, header: String, number: Int?) throws {
        let parsed = try #require(NumberedPattern(pattern))
        #expect(parsed.number(inNormalized: ClaimField.normalize(header)) == number)
    }

    @Test func aPatternNeedsOneMarker() {
        #expect(NumberedPattern("HCPCS_CD") == nil)
        #expect(NumberedPattern("{n}") == nil)
        #expect(NumberedPattern("A_{n}_{n}") == nil)
        #expect(throws: IngestError.self) { try ColumnMapping(["hcpcs_code": ["CPT_{n}_{n}"]], file: "c.yml") }
    }
}

/// No silent narrowing: columns that look like more service lines or codes than the
/// map reads are named.
@Suite struct IgnoredColumnTests {
    /// The DE-SynPUF carrier mapped to read `HCPCS_CD_1` only, as a user did before wide
    /// layouts were read: lines 2-13 and the per-line columns are named, not dropped unsaid.
    @Test func aMappingThatReadsOneLineOfAWideFileNamesTheRest() throws {
        let mapping = try ColumnMapping(["hcpcs_code": ["HCPCS_CD_1"]], file: "narrow.yml")
        let result = try read(fixture("desynpuf_carrier_sample.csv"), mapping: mapping)
        #expect(result.summary.wideLayout == nil)
        #expect(result.summary.rowsRead == 2)
        #expect(result.summary.ignoredColumns.contains("HCPCS_CD_2..HCPCS_CD_13"))
        #expect(result.summary.ignoredColumns.contains("PRF_PHYSN_NPI_1..PRF_PHYSN_NPI_13"))
        #expect(!result.summary.ignoredColumns.contains { $0.contains("TAX_NUM") })
    }

    @Test(arguments: [
        // A second code column beside the one read.
        (["Claim ID", "MRN", "DOS", "CPT", "CPT 2", "Units"], ["CPT 2"]),
        // Modifier and diagnosis columns past those pumpaudit reads.
        (["Claim ID", "MRN", "DOS", "CPT", "Mod 1", "Mod 6", "Dx1", "Dx26"], ["Mod 6", "Dx26"]),
        // Numbered columns of another field are no more lines: ICD procedure codes, dates.
        (["claim_id", "person_id", "claim_line_start_date", "hcpcs_code", "procedure_code_1", "procedure_date_1"], []),
        (["CLM_ID", "BENE_ID", "CLM_FROM_DT", "HCPCS_CD", "ICD_PRCDR_CD1", "ICD_DGNS_VRSN_CD1"], []),
    ])
    func numberedColumnsLikeThoseReadAreNamed(headers: [String], ignored: [String]) throws {
        let map = try ColumnMap(headers: headers, file: "f.csv")
        #expect(map.ignored.map { headers[$0] } == ignored)
    }

    /// The real layouts pumpaudit reads name nothing ignored: the warning is no noise.
    @Test func theKnownLayoutsIgnoreNothing() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let samples = try InputDiscovery.files(in: [root.appendingPathComponent("SampleClaims").path])
        let fixtures = try FileManager.default.contentsOfDirectory(atPath: fixture(""))
            .filter { !$0.hasSuffix(".md") }.map(fixture)
        #expect(samples.count >= 7)
        for file in samples + fixtures {
            let result = try read(file)
            #expect(result.summary.ignoredColumns.isEmpty, "\(file): \(result.summary.ignoredColumns)")
        }
    }
}
