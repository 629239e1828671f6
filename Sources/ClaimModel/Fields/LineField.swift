/// How ingest reads the text of a field in the line's value store, and so the type
/// rules read it as.
public enum FieldFormat: UInt8, Sendable, Hashable {
    /// Text as written, trimmed: `String`.
    case text
    /// Text upper-cased, as codes are compared: `String`.
    case code
    /// A whole number, zero-padded or not (`0000000004`): `Int`.
    case wholeNumber
    /// A non-negative decimal (`0.5`): `Double`.
    case decimal
    /// An amount (`$1,234.56`, `(12.00)`), exactly in cents: `Money`.
    case money
    /// A date in any form ingest reads (`2026-10-05`, `10/05/2026`...): `ServiceDate`.
    case date
}

/// A field of the line's value store, with the type rules read it as: `line[.ndcCode]`
/// is a `String?`.
///
/// One declaration gives the field's name, its aliases, its format and whether a file
/// must have it (`LineField+Declared.swift`); the column map, the decoder, the partition
/// coding and `ClaimLine` then carry it with no code of their own.
public struct LineField<Value: LineValueConvertible>: Sendable {
    /// The field's column: its names, and that its value goes to the value store.
    public let field: ClaimField

    /// A format that gives a `Value`: `.code` for a `String` field, `.money` for `Money`.
    public struct Format: Sendable {
        let format: FieldFormat
    }

    init(_ name: String, aliases: [String], required: Bool = false, format: Format) {
        field = ClaimField(name, aliases: aliases, required: required, storage: .store(format.format))
    }

    /// The field's place in every line's value store: its place in `ClaimField.stored`.
    var slot: Int {
        guard let slot = ClaimField.stored.firstIndex(of: field) else {
            preconditionFailure("\(field) is declared but not listed in ClaimField.stored")
        }
        return slot
    }
}

extension LineField.Format where Value == String {
    public static var text: Self { Self(format: .text) }
    public static var code: Self { Self(format: .code) }
}

extension LineField.Format where Value == Int {
    public static var wholeNumber: Self { Self(format: .wholeNumber) }
}

extension LineField.Format where Value == Double {
    public static var decimal: Self { Self(format: .decimal) }
}

extension LineField.Format where Value == Money {
    public static var money: Self { Self(format: .money) }
}

extension LineField.Format where Value == ServiceDate {
    public static var date: Self { Self(format: .date) }
}
