import ClaimModel
import TestSupport
import Testing

@testable import ClaimIngest

/// A field of the line's value store, declared once in `ClaimModel`, is matched, read,
/// written into a partition and read back with no code of its own: `ndc_code` is one.
@Suite struct StoredFieldTests {
    static let header = "claim_id,person_id,claim_line_start_date,hcpcs_code,"

    /// Ingests `text` into partitions, as an audit does, and reads every line back.
    private func partitionedLines(_ text: String) throws -> [ClaimLine] {
        let folder = ScratchFolder()
        let file = folder.write("claims.csv", text)
        let partitions = PatientPartitions(count: 3, coding: ClaimLineCoding(files: [file]))
        _ = try ClaimIngestor().ingest(files: [file], into: partitions, reject: { Issue.record("\($0)") })
        try partitions.finish()
        return try (0..<partitions.count).flatMap { try partitions.lines(of: $0) }.sorted { $0.claimID < $1.claimID }
    }

    @Test(arguments: ["ndc_code", "NDC", "LINE_NDC_CD", "REV_CNTR_IDE_NDC_UPC_NUM", "CLM_LINE_NDC_CD", "NDC_CD"])
    func anNDCColumnReachesTheLineThroughThePartitions(column: String) throws {
        let lines = try partitionedLines(
            Self.header + column + "\n" + "C1,P1,2026-10-05,J0475,00409-1234-01\n" + "C2,P2,2026-10-05,62369,NULL\n"
                + "C3,P1,2026-10-06,J0475, 5ab12 \n")
        #expect(lines.map { $0[.ndcCode] } == ["00409-1234-01", nil, "5AB12"])
    }

    @Test func aFileWithoutTheColumnGivesNoValue() throws {
        let lines = try partitionedLines(
            "claim_id,person_id,claim_line_start_date,hcpcs_code\nC1,P1,2026-10-05,J0475\n")
        #expect(lines.count == 1)
        #expect(lines.first?[.ndcCode] == nil)
    }

    @Test func linesHandedOnInMemoryCarryTheValueToo() throws {
        let folder = ScratchFolder()
        let file = folder.write("claims.csv", Self.header + "ndc_code\nC1,P1,2026-10-05,J0475,0040912340É\n")
        var lines: [ClaimLine] = []
        _ = try ClaimIngestor().ingest(file: file, accept: { lines.append($0) }, reject: { Issue.record("\($0)") })
        #expect(lines.map { $0[.ndcCode] } == ["0040912340É"])
    }

    @Test func theFieldIsListedWithTheFileAndInTheMapping() throws {
        let map = try ColumnMap(headers: ["CLM_ID", "BENE_ID", "CLM_FROM_DT", "HCPCS_CD", "LINE_NDC_CD"], file: "f")
        #expect(map[LineField<String>.ndcCode.field] == 4)
        let mapping = try ColumnMapping(["ndc_code": ["Drug NDC"]], file: "cols.yml")
        let custom = try ColumnMap(
            headers: ["claim_id", "person_id", "DOS", "CPT", "Drug NDC"], file: "f", custom: mapping)
        #expect(custom[LineField<String>.ndcCode.field] == 4)
    }

    /// What each format makes of a field's text: a value, nothing, or a rejection.
    static let readings: [(FieldFormat, String, String)] = [
        (.text, " Mixed case ", "text Mixed case"), (.code, "ab-12", "text AB-12"), (.text, "NULL", "absent"),
        (.code, "", "absent"), (.wholeNumber, "0004", "wholeNumber 4"), (.wholeNumber, "4.5", "invalid"),
        (.decimal, "0.25", "decimal 0.25"), (.decimal, "-1", "invalid"), (.money, "$1,234.50", "money 123450"),
        (.money, "12.345", "invalid"), (.date, "10/05/2026", "date 2026-10-05"), (.date, "1000-01-01", "absent"),
        (.date, "2026-02-30", "invalid"), (.date, "N/A", "absent"),
    ]

    @Test(arguments: readings)
    func eachFormatReadsItsText(format: FieldFormat, text: String, expected: String) {
        var bytes = Array(text.utf8)
        let reading = bytes.withUnsafeMutableBufferPointer {
            StoredFieldColumns.value(FieldParsers.trimmed(UnsafeBufferPointer($0)), format)
        }
        let described: String
        switch reading {
        case .absent: described = "absent"
        case .invalid: described = "invalid"
        case .value(.text(let text)): described = "text \(text.string)"
        case .value(.wholeNumber(let number)): described = "wholeNumber \(number)"
        case .value(.decimal(let number)): described = "decimal \(number)"
        case .value(.money(let amount)): described = "money \(amount.cents)"
        case .value(.date(let date)): described = "date \(date)"
        }
        #expect(described == expected)
    }

    @Test(arguments: [
        (FieldFormat.wholeNumber, "bad number"), (.decimal, "bad number"), (.money, "bad amount"), (.date, "bad date"),
    ])
    func aValueThatCannotBeReadRejectsItsRowNamingTheColumn(format: FieldFormat, category: String) {
        let reason = StoredFieldColumns.rejection(format, column: "Drug Qty", value: "x1")
        #expect(reason.category == category)
        #expect(reason.description.contains("Drug Qty") && reason.description.contains("x1"), "\(reason)")
    }
}
