/// A column pumpaudit reads: its canonical name, the headers other exports give it,
/// whether a file must have it, and where its value goes.
///
/// `ClaimField.all` is the one table of fields: the column map matches a file's headers
/// against it, and the decoder reads the columns it found. A field whose value goes into
/// the line's own storage (`Storage.line`) is read by the decoder's code for it: the
/// dates, codes and amounts that rules group and sort by. A field whose value goes
/// into the line's value store (`Storage.store`) is read by its format alone, written
/// into partitions and read back with no code of its own: a new one is one `LineField`
/// declaration (see `LineField+Declared.swift`).
public struct ClaimField: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Where a field's value goes.
    public enum Storage: Hashable, Sendable {
        /// A value of the line's own, read by the decoder's code for this field.
        case line
        /// The line's value store, read as the format says (`ClaimLine[_: LineField]`).
        case store(FieldFormat)
    }

    /// The canonical (Tuva `medical_claim`) column name, also accepted in `--columns` files.
    public let canonicalName: String
    /// Other headers for this field, best first. When an export has two of them (CCLF5
    /// has both `RNDRG_PRVDR_NPI_NUM` and `CLM_RNDRG_PRVDR_NPI_NUM`), the earlier wins.
    /// Matching ignores case, spaces, underscores and punctuation (`normalize`).
    public let aliases: [String]
    /// Whether a file without this column cannot be audited (see `ColumnMap` for the
    /// columns that stand in for a missing one).
    public let isRequired: Bool
    public let storage: Storage

    init(_ canonicalName: String, aliases: [String], required: Bool = false, storage: Storage = .line) {
        self.canonicalName = canonicalName
        self.aliases = aliases
        self.isRequired = required
        self.storage = storage
    }

    /// The fields without which a row means nothing.
    public static let required = all.filter(\.isRequired)

    /// The field whose canonical name this is (`person_id`, `hcpcs_modifier_2`).
    public init?(canonicalName: String) {
        guard let field = ClaimField.all.first(where: { $0.canonicalName == canonicalName }) else { return nil }
        self = field
    }

    public var description: String { canonicalName }

    // A field is its name: two declarations of one name would be one column.
    public static func == (lhs: ClaimField, rhs: ClaimField) -> Bool {
        lhs.canonicalName == rhs.canonicalName
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(canonicalName)
    }

    /// In the order of `all`, which is the order reports list a file's fields in.
    public static func < (lhs: ClaimField, rhs: ClaimField) -> Bool {
        lhs.position < rhs.position
    }

    private var position: Int {
        ClaimField.all.firstIndex(of: self) ?? Int.max
    }

    /// A header reduced to lower-case letters and digits: "Line #" -> "line",
    /// "CLM_FROM_DT" -> "clmfromdt", "Date of Service" -> "dateofservice".
    public static func normalize(_ header: String) -> String {
        String(
            String.UnicodeScalarView(
                header.unicodeScalars.compactMap { scalar -> Unicode.Scalar? in
                    switch scalar.value {
                    case 0x30...0x39, 0x61...0x7A: return scalar
                    case 0x41...0x5A: return Unicode.Scalar(scalar.value | 0x20)
                    default: return nil
                    }
                }))
    }
}
