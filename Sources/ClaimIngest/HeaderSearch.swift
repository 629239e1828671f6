import ClaimModel

/// Finds the header row of a file among its first records.
///
/// Report writers and Excel put title rows above the header ("Claims report",
/// "Printed 2026-11-01"), and blank rows between them. The header is the first record,
/// within the first `maximumLines` lines, whose cells map every required field; the
/// records before it are blank rows (only delimiters) or title rows, which are counted
/// and named in the summary, never read as claims. A file with no such record stops
/// with the error of the record that came closest to a header: the first that could
/// not be parsed (a header with broken quoting), else the first with the most fields,
/// which for a file without title rows is its first line.
struct HeaderSearch {
    /// How far down a file the header may stand.
    static let maximumLines = 20
    /// How much of a title row the summary keeps.
    static let shownTitleLength = 80

    let file: String
    let columnMapping: ColumnMapping
    /// The records above the header that were not blank, as text.
    private(set) var titleRows: [String] = []
    /// Blank rows above the header.
    private(set) var blankRows = 0
    /// Why the most header-like record so far was not the header, and its field count.
    private var closest: (error: Error, fields: Int)?

    init(file: String, columnMapping: ColumnMapping) {
        self.file = file
        self.columnMapping = columnMapping
    }

    /// The header's cells and column map when `event` is the header; nil for a blank
    /// or title row above it. Throws when the search has gone past `maximumLines`.
    mutating func consider(_ event: CSVEvent) throws -> (headers: [String], map: ColumnMap)? {
        switch event {
        case .malformed(let malformed):
            note(
                IngestError.badHeader(file: file, line: malformed.line, problem: "\(malformed.problem)"),
                fields: Int.max, raw: malformed.raw)
            try giveUpIfPast(malformed.line)
        case .record(let record):
            if RowShape.isBlank(record) {
                blankRows += 1
                try giveUpIfPast(record.line)
                return nil
            }
            let headers = (0..<record.fieldCount).map { ClaimIngestor.text(record.field($0)) }
            do {
                return (headers, try ColumnMap(headers: headers, file: file, custom: columnMapping))
            } catch {
                note(error, fields: record.fieldCount, raw: record.raw)
                try giveUpIfPast(record.line)
            }
        }
        return nil
    }

    /// At the end of a file whose header was not found: the error to stop with, if any
    /// record was read.
    func failure() -> Error? { closest?.error }

    private mutating func note(_ error: Error, fields: Int, raw: UnsafeBufferPointer<UInt8>) {
        if closest.map({ fields > $0.fields }) ?? true { closest = (error, fields) }
        var title = ClaimIngestor.text(raw)
        while let last = title.last, last == "," || last == ";" || last == "\t" || last == "|" || last == " " {
            title.removeLast()
        }
        titleRows.append(title.count > Self.shownTitleLength ? title.prefix(Self.shownTitleLength) + "…" : title)
    }

    private func giveUpIfPast(_ line: Int) throws {
        if line >= Self.maximumLines, let closest { throw closest.error }
    }
}
