import ClaimModel

/// Reads the quarterly CMS reference files a user downloads: NCCI PTP edits
/// (practitioner `ccipra-*`, outpatient hospital `ccioph-*`) and MUE values
/// (`MCR_MUE_PractitionerServices_*`, `MCR_MUE_OutpatientHospitalServices_*`).
///
/// Both come with preamble lines (a title, a copyright notice, which in the MUE file
/// is one quoted field over several lines) before their header row; the PTP text
/// file wraps its header over four lines, and the MUE header's first field holds a
/// line break ("HCPCS/\nCPT Code"). The loader finds the header by its column names,
/// takes the delimiter from it (tab or comma), and reads the rows after it. CMS
/// writes Latin-1 with CRLF line ends: a field that is not UTF-8 is read as Latin-1.
/// A file with no such header, or a row it cannot read, is an error naming the
/// file, the line and the column.
public enum CMSReferenceFiles {
    /// How far into a file the header row may be.
    static let headerSearchLines = 200

    // MARK: PTP

    /// Loads an NCCI PTP file (practitioner or outpatient hospital: the layout is the
    /// same): Column 1, Column 2, prior-to-1996 flag, Effective Date (YYYYMMDD),
    /// Deletion Date (YYYYMMDD or `*`), Modifier (0, 1, 9), PTP Edit Rationale. Rows
    /// with indicator 9 are kept, and never fire. A pair listed twice keeps its active
    /// row: the one with no deletion date, else the latest deletion.
    public static func loadPTP(_ path: String) throws -> [PTPEdit] {
        var edits: [PTPEdit] = []
        try readTable(
            path, kind: "an NCCI PTP edit file", expectedColumns: ptpColumns,
            isHeader: { $0.count >= 2 && $0[0] == "column1" && $0[1] == "column2" }
        ) { line, cells in
            guard let column1 = code(cells[0]) else { return }  // a second header line, or a note
            guard cells.count >= 6 else {
                throw rowError(path, line, "expected 7 columns (\(ptpColumns)), found \(cells.count)")
            }
            guard let column2 = code(cells[1]) else {
                throw rowError(path, line, "column 2 (Column 2): '\(cells[1])' is not a HCPCS/CPT code")
            }
            guard let effective = ServiceDate(cells[3].trimmingSpaces, layout: .compact) else {
                throw rowError(path, line, "column 4 (Effective Date): '\(cells[3])' is not a YYYYMMDD date")
            }
            var deleted: ServiceDate?
            let deletion = cells[4].trimmingSpaces
            if !deletion.isEmpty && deletion != "*" {
                guard let date = ServiceDate(deletion, layout: .compact) else {
                    throw rowError(path, line, "column 5 (Deletion Date): '\(deletion)' is neither YYYYMMDD nor *")
                }
                deleted = date
            }
            guard let value = Int(cells[5].trimmingSpaces.prefix(1)),
                let indicator = PTPEdit.ModifierIndicator(rawValue: value)
            else {
                throw rowError(path, line, "column 6 (Modifier): '\(cells[5])' is not 0, 1 or 9")
            }
            let rationale = cells.count > 6 ? cells[6].trimmingSpaces : ""
            edits.append(
                PTPEdit(
                    column1: column1, column2: column2, effective: effective, deleted: deleted,
                    modifierIndicator: indicator, rationale: rationale, source: fileName(path)))
        }
        return PTPEdit.keepingActive(edits)
    }

    static let ptpColumns =
        "Column 1, Column 2, *=in existence prior to 1996, Effective Date, Deletion Date, Modifier, PTP Edit Rationale"

    // MARK: MUE

    /// Loads a CMS MUE file of `setting`: HCPCS/CPT Code, Practitioner Services (or
    /// Outpatient Hospital Services) MUE Values, MUE Adjudication Indicator (`1 Line Edit`,
    /// `2 Date of Service Edit: Policy`, `3 Date of Service Edit: Clinical`), MUE Rationale.
    /// A file whose header names the other setting is an error.
    public static func loadMUE(_ path: String, setting: ReferenceSetting = .practitioner) throws -> [MUEEdit] {
        var edits: [MUEEdit] = []
        let other = setting == .practitioner ? "outpatient" : "practitioner"
        try readTable(
            path, kind: "a CMS \(setting.name) MUE file", expectedColumns: mueColumns(setting),
            isHeader: { cells in
                guard cells.count >= 3, cells[0].contains("hcpcs") || cells[0].contains("cpt"),
                    cells[1].contains("mue"), cells[2].contains("indicator")
                else { return false }
                if cells[1].contains(other) {
                    throw IngestError.badReferenceFile(
                        file: path, line: nil,
                        problem: "holds \(other == "outpatient" ? "outpatient hospital" : other) MUE values, "
                            + "not \(setting.name) ones")
                }
                return true
            }
        ) {
            line, cells in
            guard let hcpcs = code(cells[0]) else { return }
            guard cells.count >= 3 else {
                throw rowError(path, line, "expected 4 columns (\(mueColumns(setting))), found \(cells.count)")
            }
            guard let units = Int(cells[1].trimmingSpaces), units >= 0 else {
                throw rowError(
                    path, line, "column 2 (\(valueColumn(setting))): '\(cells[1])' is not a whole number")
            }
            guard let value = Int(cells[2].trimmingSpaces.prefix(1)),
                let indicator = MUEEdit.AdjudicationIndicator(rawValue: value)
            else {
                throw rowError(
                    path, line, "column 3 (MUE Adjudication Indicator): '\(cells[2])' does not start with 1, 2 or 3")
            }
            let rationale = cells.count > 3 ? cells[3].trimmingSpaces : ""
            edits.append(
                MUEEdit(
                    code: hcpcs, maximumUnits: units, indicator: indicator, rationale: rationale,
                    source: fileName(path)))
        }
        return edits
    }

    static func valueColumn(_ setting: ReferenceSetting) -> String {
        setting == .practitioner ? "Practitioner Services MUE Values" : "Outpatient Hospital Services MUE Values"
    }

    static func mueColumns(_ setting: ReferenceSetting) -> String {
        "HCPCS/CPT Code, \(valueColumn(setting)), MUE Adjudication Indicator, MUE Rationale"
    }

    // MARK: Reading

    /// Finds the header row, then hands each later row's cells to `row` with its line.
    private static func readTable(
        _ path: String, kind: String, expectedColumns: String, isHeader: ([String]) throws -> Bool,
        row: (Int, [String]) throws -> Void
    ) throws {
        let delimiter = try headerDelimiter(path, isHeader: isHeader)
        guard let delimiter else {
            throw IngestError.badReferenceFile(
                file: path, line: nil,
                problem:
                    "not \(kind): no header row with the columns \(expectedColumns) in its first \(headerSearchLines) lines"
            )
        }
        let reader = try CSVRecordReader(input: InputBytes.file(path).open(name: path), delimiter: delimiter)
        var inTable = false
        try reader.read { event in
            switch event {
            case .record(let record):
                let cells = (0..<record.fieldCount).map { text(record.field($0)) }
                if inTable {
                    if cells.allSatisfy({ $0.trimmingSpaces.isEmpty }) { return }
                    try row(record.line, cells)
                } else if try isHeader(cells.map(ClaimField.normalize)) {
                    inTable = true
                }
            case .malformed(let malformed):
                if inTable { throw rowError(path, malformed.line, "\(malformed.problem)") }
            }
        }
    }

    /// Tab or comma: whichever makes a header row appear within the first lines.
    private static func headerDelimiter(_ path: String, isHeader: ([String]) throws -> Bool) throws -> UInt8? {
        let input = try InputBytes.file(path).open(name: path)
        var bytes = [UInt8](repeating: 0, count: 256 * 1024)
        let count = bytes.withUnsafeMutableBytes { input.read(into: $0.baseAddress!, count: $0.count) }
        guard count > 0 else { return nil }
        let text = String(decoding: bytes[0..<count], as: UTF8.self)
        for line in text.split(whereSeparator: \.isNewline).prefix(headerSearchLines) {
            for delimiter in [UInt8(ascii: "\t"), UInt8(ascii: ",")] {
                let cells = line.split(separator: Character(UnicodeScalar(delimiter)), omittingEmptySubsequences: false)
                    .map { ClaimField.normalize(String($0)) }
                if try isHeader(cells) { return delimiter }
            }
        }
        return nil
    }

    /// A field's text: UTF-8 when it is valid UTF-8, else Latin-1, the encoding CMS
    /// writes (a byte 0x80-0xFF is a Latin-1 character there, not a broken UTF-8 one).
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if let utf8 = String(validating: bytes, as: UTF8.self) { return utf8 }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    private static func rowError(_ path: String, _ line: Int, _ problem: String) -> IngestError {
        .badReferenceFile(file: path, line: line, problem: problem)
    }

    /// A HCPCS/CPT code: five letters or digits.
    private static func code(_ cell: String) -> String? {
        let value = cell.trimmingSpaces.uppercased()
        guard value.count == 5, value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        return value
    }

    private static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

extension String {
    var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
