import ClaimModel

/// The columns of a file that hold fields of the line's value store (`LineField`),
/// found once per file and read by each field's format alone: a field declared in
/// `ClaimModel` needs no code here.
struct StoredFieldColumns: Sendable {
    private struct Column: Sendable {
        let index: Int
        let slot: Int
        let format: FieldFormat
        let isRequired: Bool
    }

    /// In slot order, as the partition coding writes them.
    private let columns: [Column]

    init(map: ColumnMap) {
        columns = ClaimField.stored.enumerated().compactMap { slot, field in
            guard let index = map[field], case .store(let format) = field.storage else { return nil }
            return Column(index: index, slot: slot, format: format, isRequired: field.isRequired)
        }
    }

    /// Reads the row's stored fields into `values`, which the reader reuses from row to
    /// row; the reason to reject the row when a value cannot be read.
    @inline(__always)
    func read(_ record: CSVRecord, into values: inout [StoredFieldValue], map: ColumnMap) -> RejectionReason? {
        if !values.isEmpty { values.removeAll(keepingCapacity: true) }
        for column in columns {
            let bytes = FieldParsers.trimmed(record.field(column.index))
            switch Self.value(bytes, column.format) {
            case .value(let value):
                values.append(StoredFieldValue(slot: column.slot, value: value))
            case .absent:
                if column.isRequired { return .emptyRequiredField(column: map.header(ofColumn: column.index)) }
            case .invalid:
                return Self.rejection(
                    column.format, column: map.header(ofColumn: column.index),
                    value: String(decoding: bytes, as: UTF8.self))
            }
        }
        return nil
    }

    /// Why a row whose field cannot be read in `format` is rejected.
    static func rejection(_ format: FieldFormat, column: String, value: String) -> RejectionReason {
        switch format {
        case .money: return .badAmount(column: column, value: value)
        case .date: return .badDate(column: column, value: value)
        // Text is never invalid.
        case .text, .code, .wholeNumber, .decimal: return .badNumber(column: column, value: value)
        }
    }

    enum Reading {
        case value(StoredFieldValue.Value)
        /// Empty, a null token, or CCLF's `1000-01-01` "no date".
        case absent
        case invalid
    }

    /// A trimmed field's value in `format`.
    static func value(_ bytes: UnsafeBufferPointer<UInt8>, _ format: FieldFormat) -> Reading {
        guard !FieldParsers.isNullToken(bytes) else { return .absent }
        switch format {
        case .text: return .value(.text(FieldParsers.text(bytes)))
        case .code: return .value(.text(FieldParsers.text(bytes, upperCased: true)))
        case .wholeNumber: return FieldParsers.wholeNumber(bytes).map { .value(.wholeNumber($0)) } ?? .invalid
        case .decimal: return FieldParsers.decimal(bytes).map { .value(.decimal($0)) } ?? .invalid
        case .money: return FieldParsers.money(bytes).map { .value(.money($0)) } ?? .invalid
        case .date:
            if bytes.elementsEqual("1000-01-01".utf8) { return .absent }
            return FieldParsers.date(bytes).map { .value(.date($0)) } ?? .invalid
        }
    }
}
