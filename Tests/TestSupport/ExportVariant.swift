import ClaimIngest
import Foundation

/// One way to write a plain comma-separated UTF-8 export again, as other programs
/// write it: another delimiter, another encoding, other line ends, and the rows that
/// Excel and report writers add around the data. Tests derive each variant from the
/// same records, so that "the same findings as the plain file" compares real files.
public struct ExportVariant: Sendable, CustomStringConvertible {
    public enum Encoding: Sendable {
        case utf8, utf8WithByteOrderMark, utf16LE, utf16BE, windows1252
    }

    public var name: String
    public var delimiter: Character = ","
    public var encoding = Encoding.utf8
    public var lineEnd = "\n"
    /// Rows above the header, written as they are.
    public var titleRows: [String] = []
    /// Rows of delimiters only, put after the header and after every `blankEvery` data rows.
    public var blankEvery: Int?
    /// Rows below the data, written as they are.
    public var footerRows: [String] = []
    /// A delimiter after the last field of every data row (not the header).
    public var trailingDelimiter = false

    public init(_ name: String) {
        self.name = name
    }

    public var description: String { name }

    /// The physical lines written above the header.
    public var linesAboveHeader: Int { titleRows.count }

    /// The records (header first) written in this variant.
    public func bytes(of records: [[String]]) -> [UInt8] {
        var text = titleRows.map { $0 + lineEnd }.joined()
        let empty = String(repeating: delimiter, count: max(records.first?.count ?? 1, 1) - 1) + lineEnd
        for (index, record) in records.enumerated() {
            var line = record.map(quoted).joined(separator: String(delimiter))
            if trailingDelimiter && index > 0 { line.append(delimiter) }
            text += line + lineEnd
            if let blankEvery, index % blankEvery == 0 { text += empty }
        }
        text += footerRows.map { $0 + lineEnd }.joined()
        switch encoding {
        case .utf8: return Array(text.utf8)
        case .utf8WithByteOrderMark: return [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        case .utf16LE: return [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        case .utf16BE: return [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case .windows1252: return text.unicodeScalars.map(Self.windows1252Byte)
        }
    }

    /// A field quoted as RFC 4180 wants when it holds the delimiter, a quote or a line break.
    private func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The few characters the tests write that Windows-1252 holds above 0x7F.
    private static func windows1252Byte(_ scalar: Unicode.Scalar) -> UInt8 {
        switch scalar.value {
        case 0..<0x80, 0xA0...0xFF: return UInt8(scalar.value)
        case 0x2019: return 0x92
        case 0x2013: return 0x96
        case 0x20AC: return 0x80
        default: preconditionFailure("\(scalar) is not written in these tests")
        }
    }

    /// The records of a CSV file, as pumpaudit's own reader (libcsv) reads them.
    public static func records(ofFile path: String) throws -> [[String]] {
        let descriptor = open(path, O_RDONLY)
        precondition(descriptor >= 0, "cannot open \(path)")
        defer { close(descriptor) }
        let reader = try CSVRecordReader(fileDescriptor: descriptor)
        var records: [[String]] = []
        try reader.read { event in
            guard case .record(let record) = event else { preconditionFailure("\(path) holds a malformed record") }
            records.append((0..<record.fieldCount).map { String(decoding: record.field($0), as: UTF8.self) })
        }
        return records
    }

    /// The practice export of the samples, with a note in accented and typographic
    /// characters (`José’s`), so that an encoding read wrongly changes a finding.
    public static func sampleRecords() throws -> [[String]] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("SampleClaims/02_practice_export.csv").path
        var records = try records(ofFile: path)
        let notes = try require(records[0].firstIndex(of: "Notes"))
        let row = try require(records.firstIndex { $0[notes] == "see chart" })
        records[row][notes] = "Dr. José’s"
        return records
    }
}

/// A `#require` for a support target that does not link Testing.
private func require<T>(_ value: T?) throws -> T {
    guard let value else { throw MissingValue() }
    return value
}

private struct MissingValue: Error {}
