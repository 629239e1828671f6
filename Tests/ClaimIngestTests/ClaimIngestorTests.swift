import ClaimModel
import Foundation
import TestSupport
import Testing

@testable import ClaimIngest

/// Ingests `text` as one file and returns what came out.
private func ingest(
    _ text: String, name: String = "claims.csv", mapping: ColumnMapping = .none, chunkSize: Int = 1 << 20
)
    throws -> (lines: [ClaimLine], rejections: [Rejection], summary: InputFileSummary)
{
    let folder = ScratchFolder()
    let file = folder.write(name, text)
    var lines: [ClaimLine] = []
    var rejections: [Rejection] = []
    let summary = try ClaimIngestor(columnMapping: mapping, chunkSize: chunkSize)
        .ingest(file: file, accept: { lines.append($0) }, reject: { rejections.append($0) })
    return (lines, rejections, summary)
}

private let header =
    "claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity,place_of_service_code,paid_amount\n"

@Suite struct ClaimIngestorTests {
    /// Each kind of bad row, the line it sits on, and the reason it must be given.
    static let rejections: [(row: String, category: String, detail: String)] = [
        ("C1,1,P1,2026-02-30,62369,1,11,90.00", "bad date", "claim_line_start_date"),
        ("C1,1,P1,13/45/2026,62369,1,11,90.00", "bad date", "13/45/2026"),
        ("C1,1,P1,2026-10-05,62369,1.5,11,90.00", "bad units", "1.5"),
        ("C1,1,P1,2026-10-05,62369,1e9,11,90.00", "bad units", "1e9"),
        ("C1,1,P1,2026-10-05,62369,two,11,90.00", "bad units", "service_unit_quantity"),
        (",1,P1,2026-10-05,62369,1,11,90.00", "empty required field", "claim_id"),
        ("C1,1,,2026-10-05,62369,1,11,90.00", "empty required field", "person_id"),
        ("C1,1,P1,,62369,1,11,90.00", "empty required field", "claim_line_start_date"),
        ("C1,1,P1,2026-10-05,,1,11,90.00", "empty required field", "hcpcs_code"),
        ("C1,1,P1,2026-10-05,62369,1,11", "wrong field count", "expected 8, found 7"),
        ("C1,1,P1,2026-10-05,62369,1,11,90.00,extra", "wrong field count", "found 9"),
        ("C1,1,P1,2026-10-05,6\"2369,1,11,90.00", "broken quoting", "column 5 (hcpcs_code)"),
        ("C1,1,P1,2026-10-05,62369,1,11,ninety", "bad amount", "paid_amount"),
        ("C1,x,P1,2026-10-05,62369,1,11,90.00", "bad number", "claim_line_number"),
        ("C1,1,P1,2026-10-05,62369,1,11,\"unterminated", "broken quoting", "never closed"),
    ]

    @Test(arguments: rejections)
    func eachBadRowIsRejectedWithItsLineAndReason(row: String, category: String, detail: String) throws {
        let text = header + "G1,1,P0,2026-10-01,62367,1,11,60.00\n" + row + "\nG2,1,P0,2026-10-20,62367,1,11,60.00\n"
        let result = try ingest(text)
        #expect(result.rejections.count == 1)
        let rejection = try #require(result.rejections.first)
        #expect(rejection.source == SourceLocation(file: rejection.source.file, line: 3))
        #expect(rejection.source.file.hasSuffix("claims.csv"))
        #expect(rejection.reason.category == category)
        #expect(rejection.reason.description.contains(detail), "\(rejection.reason)")
        #expect(rejection.raw == row)
        #expect(result.lines.map(\.claimID) == ["G1", "G2"])
        #expect(result.summary.rowsRead == 3)
        #expect(result.summary.rowsRejected == 1)
        #expect(result.summary.rowsRead == result.summary.rowsAudited + result.summary.rowsRejected)
    }

    @Test func outOfScopeRowsAreCountedNotKept() throws {
        let text =
            header + """
                C1,1,P1,2026-10-05,62369,1,11,90.00
                C1,2,P1,2026-10-05,J0475,2,11,500.00
                C2,1,P2,2026-10-05,99214,1,11,110.00
                C3,1,P3,2026-10-05,72148,1,22,400.00
                C4,1,P4,2026-10-05,20610,1,11,70.00

                """
        let result = try ingest(text)
        #expect(result.lines.map(\.code) == ["62369", "J0475", "99214"])
        #expect(result.summary.rowsRead == 5)
        #expect(result.summary.rowsInScope == 3)
        #expect(result.summary.rowsOutOfScope == 2)
        #expect(result.summary.rowsRejected == 0)
    }

    /// A wrong NPI merges or splits providers: the rows a rule reads carry real ones.
    @Test(arguments: [
        ("1234567890", "rendering_npi", "the check digit fails"),
        ("1.20938E+9", "rendering_npi", "scientific notation"),
        ("123456789", "rendering_npi", "not 10 digits"),
    ])
    func aLineWithABadNPIIsRejectedWithTheReason(npi: String, column: String, problem: String) throws {
        let text = """
            claim_id,person_id,claim_line_start_date,hcpcs_code,rendering_npi,billing_npi
            C1,P1,2026-10-05,62369,\(npi),1234567893
            C2,P1,2026-10-05,62368,1234567893,\(npi)
            C3,P1,2026-10-05,72148,\(npi),\(npi)
            C4,P1,2026-10-05,62367,1234567893,

            """
        let result = try ingest(text)
        #expect(result.rejections.count == 2)
        #expect(result.rejections.allSatisfy { $0.reason.category == "bad NPI" })
        #expect(result.rejections.first?.reason.description.contains("in \(column)") == true)
        #expect(result.rejections.allSatisfy { $0.reason.description.contains(problem) })
        #expect(result.rejections.last?.reason.description.contains("in billing_npi") == true)
        // Out of scope rows are not read for their NPIs; a line without one passes.
        #expect(result.summary.rowsOutOfScope == 1)
        #expect(result.lines.map(\.claimID) == ["C4"])
    }

    @Test func theNPICheckCanBeTurnedOffForSyntheticData() throws {
        let folder = ScratchFolder()
        let file = folder.write(
            "claims.csv",
            "claim_id,person_id,claim_line_start_date,hcpcs_code,rendering_npi\nC1,P1,2026-10-05,62369,1111111111\n")
        var ingestor = ClaimIngestor()
        ingestor.checksNPIs = false
        var lines: [ClaimLine] = []
        _ = try ingestor.ingest(file: file, accept: { lines.append($0) }, reject: { _ in })
        #expect(lines.map(\.renderingNPI) == ["1111111111"])
    }

    @Test(arguments: [
        ("\"59,XU\"", ["59", "XU"]), ("59:XU", ["59", "XU"]), ("-25", ["25"]), ("25", ["25"]), ("jz", ["JZ"]),
        ("59 ; xu", ["59", "XU"]), ("", []),
    ])
    func combinedModifiersAreSplit(cell: String, modifiers: [String]) throws {
        let text = "Claim ID,Patient ID,DOS,CPT,Modifiers\nC1,P1,10/05/2026,62369,\(cell)\n"
        let line = try #require(try ingest(text).lines.first)
        #expect(line.modifiers == modifiers)
    }

    @Test func separateModifierColumnsKeepTheirOrder() throws {
        let text =
            "CLM_ID|BENE_ID|CLM_FROM_DT|HCPCS_CD|HCPCS_1ST_MDFR_CD|HCPCS_2ND_MDFR_CD\nC1|B1|20261005|J0475|JW|\n"
            + "C2|B1|20261005|62370|59|GD\n"
        let lines = try ingest(text, name: "carrier.psv").lines
        #expect(lines.map(\.modifiers) == [["JW"], ["59", "GD"]])
    }

    @Test(arguments: [
        ("institutional", "", ClaimType.institutional), ("professional", "", .professional),
        ("", "131", .institutional),
        ("I", "", .institutional), ("P", "", .professional), ("", "", .professional), ("dme", "", .professional),
        ("professional", "0831", .institutional),
    ])
    func institutionalClaimsAreRecognised(claimType: String, billType: String, expected: ClaimType) throws {
        let text =
            "claim_id,claim_type,person_id,claim_line_start_date,hcpcs_code,bill_type_code\n"
            + "C1,\(claimType),P1,2026-10-05,62369,\(billType)\n"
        let line = try #require(try ingest(text).lines.first)
        #expect(line.claimType == expected)
    }

    @Test func institutionalLinesAreKeptWhateverTheirCode() throws {
        let text =
            "claim_id,claim_type,person_id,claim_line_start_date,hcpcs_code,bill_type_code\n"
            + "F1,institutional,P1,2026-10-05,0360,0131\nF2,professional,P1,2026-10-05,0360,\n"
        let result = try ingest(text)
        #expect(result.lines.map(\.claimID) == ["F1"])
        #expect(result.lines.first?.billType == "131")
        #expect(result.summary.rowsOutOfScope == 1)
    }

    @Test func valuesAreDecoded() throws {
        let text = """
            claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,hcpcs_modifier_1,service_unit_quantity,place_of_service_code,rendering_npi,billing_npi,facility_npi,rendering_credential,complexity_justification,charge_amount,allowed_amount,paid_amount,payer,diagnosis_code_1,diagnosis_code_2,reservoir_volume_ml,daily_volume_ml
            C9,3,P9,2026-10-05,62370,gd,2,1,1111111112,1222222220,1333333338,MD,"fluoroscopy, deep pump",$350.00,200,150.25,Medicare,g35,,40,0.5

            """
        let line = try #require(try ingest(text).lines.first)
        #expect(line.claimID == "C9")
        #expect(line.lineNumber == 3)
        #expect(line.patientID == "P9")
        #expect(line.serviceDate.description == "2026-10-05")
        #expect(line.code == "62370")
        #expect(line.family == .pumpAnalysis)
        #expect(line.modifiers == ["GD"])
        #expect(line.units == 2)
        #expect(line.placeOfService == "01")
        #expect(line.renderingNPI == "1111111112")
        #expect(line.billingNPI == "1222222220")
        #expect(line.facilityNPI == "1333333338")
        #expect(line.renderingCredential == "MD")
        #expect(line.justification == "fluoroscopy, deep pump")
        #expect(line.chargeAmount == Money(cents: 35_000))
        #expect(line.allowedAmount == Money(cents: 20_000))
        #expect(line.paidAmount == Money(cents: 15_025))
        #expect(line.payer == "Medicare")
        #expect(line.diagnosisCodes == ["G35"])
        #expect(line.reservoirVolumeML == 40)
        #expect(line.dailyVolumeML == 0.5)
        #expect(line.source.line == 2)
    }

    @Test func modifiersOnTheCodeComeFirstAndDiagnosesListedInOneColumnAreEachKept() throws {
        let text = """
            claim_id,person_id,claim_line_start_date,hcpcs_code,hcpcs_modifier_1,hcpcs_modifier_2,diagnosis_code_1,diagnosis_code_2
            C1,P1,2026-10-05,62369-59-xu,gd,kx/gy,"g35,g89.4",r26

            """
        let line = try #require(try ingest(text).lines.first)
        #expect(line.code == "62369")
        #expect(line.modifiers == ["59", "XU", "GD", "KX", "GY"])
        #expect(line.diagnosisCodes == ["G35", "G89.4", "R26"])
    }

    /// Text that is not ASCII takes the string path of the decoder, ASCII text its byte
    /// path: both must give what the text says, upper-cased where the field is.
    @Test func textThatIsNotASCIIIsDecodedAsASCIITextIs() throws {
        let text = """
            claim_id,person_id,claim_line_start_date,hcpcs_code,modifiers,diagnosis_code_1,diagnosis_code_2,payer,place_of_service_code
            Ç1,Pé9,2026-10-05,62369,"gd,ü5",g35,"r52,é1",Café,٣
            C2,P9,2026-10-05,j0475,jw,,,cafe,11

            """
        let lines = try ingest(text).lines
        #expect(lines.map(\.claimID) == ["Ç1", "C2"])
        #expect(lines.map(\.patientID) == ["Pé9", "P9"])
        #expect(lines.map(\.code) == ["62369", "J0475"])
        #expect(lines.map(\.modifiers) == [["GD", "Ü5"], ["JW"]])
        #expect(lines.map(\.diagnosisCodes) == [["G35", "R52", "É1"], []])
        #expect(lines.map(\.payer) == ["Café", "cafe"])
        #expect(lines.map(\.placeOfService) == ["0٣", "11"])
        // Ingest hashes the patient from the record's bytes; the audit looks the patient
        // up by its string: the two must agree.
        let folder = ScratchFolder()
        let file = folder.write("claims.csv", text)
        let partitions = PatientPartitions(count: 7, coding: ClaimLineCoding(files: [file]))
        _ = try ClaimIngestor().ingest(files: [file], into: partitions, reject: { _ in Issue.record("rejected") })
        try partitions.finish()
        for line in lines {
            let partition = try partitions.lines(of: partitions.partition(of: line.patientID))
            #expect(partition.map(\.claimID).contains(line.claimID))
        }
    }

    /// Practice exports: numbered `ICD-10 n` columns, or one column of every code.
    @Test(arguments: [
        ("ICD-10 1,ICD-10 2", "g89.4,g35", ["G89.4", "G35"]),
        ("Diagnosis Codes", "\"G89.4, G35\"", ["G89.4", "G35"]),
        ("Diagnosis Codes", "\"G89.4 ,, Ä35 \"", ["G89.4", "Ä35"]),
        ("Dx 1,Dx 2", ",G35", ["G35"]),
    ])
    func practiceDiagnosisColumnsAreRead(headers: String, cells: String, codes: [String]) throws {
        let text = "Claim ID,Patient ID,DOS,CPT,\(headers)\nC1,P1,10/05/2026,62369,\(cells)\n"
        let line = try #require(try ingest(text).lines.first)
        #expect(line.diagnosisCodes == codes)
    }

    @Test func missingOptionalValuesUseTheirDefaults() throws {
        let text =
            "claim_id,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity,paid_amount,complexity_justification\n"
            + "C1,P1,2026-10-05,62370,,NULL,\n"
        let line = try #require(try ingest(text).lines.first)
        #expect(line.units == 1)
        #expect(line.paidAmount == nil)
        #expect(line.justification == "")
        let noNotes = try #require(
            try ingest("claim_id,person_id,claim_line_start_date,hcpcs_code\nC1,P1,2026-10-05,62370\n").lines.first)
        #expect(noNotes.justification == nil)
    }

    /// Bytes that are not UTF-8 are read as Windows-1252, the text of Windows programs
    /// that write no Unicode: decoded, not replaced, and never fatal.
    @Test func invalidUTF8InAFreeTextFieldDoesNotStopTheRun() throws {
        let folder = ScratchFolder()
        let bytes =
            Array(
                "claim_id,person_id,claim_line_start_date,hcpcs_code,complexity_justification\nC1,P1,2026-10-05,62370,"
                    .utf8)
            + [0xC3, 0x28, 0xFF] + Array(" deep pump\nC2,P2,2026-10-06,62369,ok\n".utf8)
        let file = folder.write("bad-utf8.csv", bytes: bytes)
        var lines: [ClaimLine] = []
        _ = try ClaimIngestor().ingest(
            file: file, accept: { lines.append($0) }, reject: { _ in Issue.record("rejected") })
        #expect(lines.count == 2)
        #expect(lines[0].justification == "Ã(ÿ deep pump")
    }

    @Test(arguments: [1 << 20, 16, 100])
    func theSameFileGivesTheSameLinesAtAnyChunkSize(chunkSize: Int) throws {
        var text = header
        for i in 0..<300 {
            text += "C\(i),1,P\(i % 17),2026-10-\(10 + i % 9),\(i % 3 == 0 ? "62369" : "99213"),1,11,\(i).00\n"
            if i % 50 == 0 { text += "C\(i)x,1,P1,bad-date,62369,1,11,1.00\n" }
        }
        let reference = try ingest(text)
        let result = try ingest(text, chunkSize: chunkSize)
        let renamed = reference.lines.map { line in
            var copy = line
            copy.source.file = result.lines.first!.source.file
            return copy
        }
        #expect(result.lines.count == renamed.count)
        #expect(result.lines == renamed, "lines differ at chunk size \(chunkSize)")
        #expect(result.rejections.map(\.source.line) == reference.rejections.map(\.source.line))
        #expect(result.summary.rowsRead == 306)
        #expect(result.summary.rowsRejected == 6)
    }

    @Test func headerOnlyAndEmptyFilesReadNoRows() throws {
        let headerOnly = try ingest(header)
        #expect(headerOnly.summary.rowsRead == 0)
        #expect(!headerOnly.summary.isEmpty)
        let empty = try ingest("")
        #expect(empty.summary.isEmpty)
        #expect(empty.summary.rowsRead == 0)
    }

    @Test func aMissingRequiredColumnStopsTheRun() {
        #expect(throws: IngestError.self) {
            try ingest("claim_id,person_id,hcpcs_code\nC1,P1,62369\n")
        }
    }

    @Test func aColumnsFileMapsAnUnknownExport() throws {
        let folder = ScratchFolder()
        let yaml = folder.write(
            "columns.yml",
            "claim_id: Encounter Number\nperson_id: [Pt Acct, Patient Account]\nclaim_line_start_date: Svc Dt\nhcpcs_code: Svc Code\n"
        )
        let mapping = try ColumnMapping(contentsOf: yaml)
        let result = try ingest(
            "Encounter Number,Patient Account,Svc Dt,Svc Code\nE1,A1,10/05/2026,62367\n", mapping: mapping)
        #expect(result.lines.map(\.claimID) == ["E1"])
        #expect(result.lines.map(\.patientID) == ["A1"])
    }

    @Test func aColumnsFileWithABadValueNamesTheKey() {
        let folder = ScratchFolder()
        let yaml = folder.write("columns.yml", "claim_id:\n  nested: 1\n")
        #expect {
            try ColumnMapping(contentsOf: yaml)
        } throws: { error in
            "\(error)".contains("claim_id") && "\(error)".contains("columns.yml")
        }
    }
}

@Suite struct InputDiscoveryTests {
    @Test func foldersContributeTheirClaimFilesInNameOrder() throws {
        let folder = ScratchFolder()
        for name in ["b.csv", "a.TSV", "c.psv", "d.txt", "e.xlsx", ".hidden.csv", "notes.md"] {
            folder.write(name, "x")
        }
        try folder.folder("sub.csv")
        let files = try InputDiscovery.files(in: [folder.path]).map { ($0 as NSString).lastPathComponent }
        #expect(files == ["a.TSV", "b.csv", "c.psv", "d.txt"])
    }

    @Test func aNamedFileIsReadWhateverItsExtension() throws {
        let folder = ScratchFolder()
        let file = folder.write("export.dat", "x")
        #expect(try InputDiscovery.files(in: [file]) == [file])
    }

    @Test func missingInputsAreErrors() throws {
        let folder = ScratchFolder()
        #expect(throws: IngestError.noSuchInput(path: folder.path + "/nope.csv")) {
            try InputDiscovery.files(in: [folder.path + "/nope.csv"])
        }
        #expect(throws: IngestError.noInputFiles(folder: folder.path)) {
            try InputDiscovery.files(in: [folder.path])
        }
    }
}

@Suite struct InputHashTests {
    @Test(arguments: [1 << 20, 16])
    func eachInputGetsTheSHA256OfItsBytes(chunkSize: Int) throws {
        let folder = ScratchFolder()
        // The digest below was computed independently, with Python's hashlib.
        let file = folder.write(
            "claims.csv", "claim_id,person_id,claim_line_start_date,hcpcs_code\nC1,P1,2026-10-05,62369\n")
        let summary = try ClaimIngestor(chunkSize: chunkSize).ingest(file: file, accept: { _ in }, reject: { _ in })
        #expect(summary.sha256 == "0607435ae2b8b8366023d9a5bf6cb0e117610b2c0329d0d7905f95177a67be75")
        let empty = try ClaimIngestor().ingest(file: folder.write("empty.csv", ""), accept: { _ in }, reject: { _ in })
        #expect(empty.sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}

/// What `rejected.csv` promises: a row a rule reads is audited or rejected; a row whose
/// code no rule reads is out of scope once its structure is sound, and its other fields
/// are not decoded, whether or not it holds quotes (and so whether libcsv or the screen read it).
@Suite struct ScopeBeforeDecodingTests {
    private func ingest(_ rows: String, jobs: Int = 1) throws -> (InputFileSummary, [Rejection]) {
        let folder = ScratchFolder()
        let file = folder.write("claims.csv", header + rows)
        var ingestor = ClaimIngestor(chunkSize: 64)
        ingestor.parallelism = jobs
        ingestor.minimumParallelBytes = 0
        var rejections: [Rejection] = []
        let summary = try ingestor.ingest(file: file, accept: { _ in }, reject: { rejections.append($0) })
        return (summary, rejections)
    }

    @Test(arguments: [1, 2, 3])
    func anOutOfScopeRowIsNotDecodedButAStructurallyBrokenOneIsRejected(jobs: Int) throws {
        let (summary, rejections) = try ingest(
            """
            C1,1,P1,2026-02-30,72148,1,11,90.00
            C2,1,P2,2026-02-30,"72148",1,11,90.00
            C3,1,,not a date,72148,x,11,ninety
            C4,1,P4,2026-10-05,72148,1,11
            C5,1,P5,2026-10-05,"72148",1,11,90.00,extra
            C6,1,P6,2026-02-30,62369,1,11,90.00
            C7,1,P7,2026-10-05,62369,1,11,90.00

            """, jobs: jobs)
        #expect(summary.rowsRead == 7)
        #expect(summary.rowsOutOfScope == 3, "C1-C3: other fields never decoded")
        #expect(summary.rowsInScope == 1)
        #expect(rejections.map(\.source.line) == [5, 6, 7])
        #expect(rejections.map(\.reason.category) == ["wrong field count", "wrong field count", "bad date"])
        #expect(summary.rowsRead == summary.rowsInScope + summary.rowsOutOfScope + summary.rowsRejected)
    }

    @Test func facilityLinesAndCodesTheEditsPairArePassedOn() throws {
        let text =
            "claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,service_unit_quantity,bill_type_code\n"
            + "F1,1,P1,2026-10-05,72148,1,131\nC1,1,P1,2026-10-05,A4220,1,\nC2,1,P1,2026-10-05,72148,1,\n"
        let folder = ScratchFolder()
        var lines: [ClaimLine] = []
        let summary = try ClaimIngestor(chunkSize: 64).ingest(
            file: folder.write("f.csv", text), accept: { lines.append($0) }, reject: { _ in })
        #expect(lines.map(\.claimID) == ["F1", "C1"])
        #expect(summary.rowsOutOfScope == 1)
    }

    @Test(arguments: [1, 2])
    func aCodeTheEditsPairIsKeptInAnyCase(jobs: Int) throws {
        let text =
            "claim_id,person_id,claim_line_start_date,hcpcs_code\n"
            + "C1,P1,2026-10-05,a4220\nC2,P1,2026-10-05,\"A4220\"\nC3,P1,2026-10-05,a4221\n"
        let folder = ScratchFolder()
        var ingestor = ClaimIngestor(chunkSize: 64)
        ingestor.parallelism = jobs
        ingestor.minimumParallelBytes = 0
        var lines: [ClaimLine] = []
        let summary = try ingestor.ingest(
            file: folder.write("f.csv", text), accept: { lines.append($0) }, reject: { _ in })
        #expect(lines.map(\.claimID) == ["C1", "C2"])
        #expect(lines.map(\.code) == ["A4220", "A4220"])
        #expect(summary.rowsOutOfScope == 1)
    }
}
