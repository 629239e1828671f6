/// One NCCI procedure-to-procedure edit: column 2 is not paid with column 1 for the
/// same patient, date and provider, unless the modifier indicator allows a bypass.
public struct PTPEdit: Sendable, Hashable {
    /// NCCI's modifier indicator.
    public enum ModifierIndicator: Int, Sendable, Hashable {
        /// No modifier bypasses the edit.
        case notAllowed = 0
        /// An NCCI-associated modifier bypasses it when documentation supports a distinct service.
        case allowed = 1
        /// The edit is deleted or not applicable; it never fires.
        case notApplicable = 9
    }

    public var column1: String
    public var column2: String
    public var effective: ServiceDate
    /// The first day the edit no longer applies; nil while it is in force.
    public var deleted: ServiceDate?
    public var modifierIndicator: ModifierIndicator
    public var rationale: String
    /// Where the edit comes from: "built-in" or the loaded file's name.
    public var source: String

    public init(
        column1: String, column2: String, effective: ServiceDate, deleted: ServiceDate? = nil,
        modifierIndicator: ModifierIndicator, rationale: String, source: String
    ) {
        self.column1 = column1
        self.column2 = column2
        self.effective = effective
        self.deleted = deleted
        self.modifierIndicator = modifierIndicator
        self.rationale = rationale
        self.source = source
    }

    /// Whether the edit applies on `date`. CMS deletion dates are the day the edit
    /// stops, so a service on the deletion date is no longer edited.
    public func applies(on date: ServiceDate) -> Bool {
        guard modifierIndicator != .notApplicable, date >= effective else { return false }
        if let deleted { return date < deleted }
        return true
    }
}

/// The PTP edits in force: the built-in defaults, overridden pair by pair by loaded files.
public struct PTPTable: Sendable {
    private var editsByPair: [PairKey: [PTPEdit]] = [:]
    /// The files loaded over the defaults, in load order, each with the span of its
    /// edits' effective dates ("ptp.txt (effective 2004-01-01 to 2026-01-01)").
    public private(set) var loadedFiles: [String] = []

    struct PairKey: Hashable, Sendable {
        var column1: String
        var column2: String
    }

    public init(edits: [PTPEdit]) {
        for edit in edits {
            editsByPair[PairKey(column1: edit.column1, column2: edit.column2), default: []].append(edit)
        }
    }

    /// Replaces, pair by pair, the edits in this table with those of a loaded file.
    public mutating func override(with edits: [PTPEdit], from file: String) {
        let loaded = PTPTable(edits: edits)
        for (pair, pairEdits) in loaded.editsByPair {
            editsByPair[pair] = pairEdits
        }
        let dates = edits.map(\.effective)
        if let first = dates.min(), let last = dates.max() {
            loadedFiles.append("\(file) (\(edits.count) edits, effective \(first) to \(last))")
        } else {
            loadedFiles.append("\(file) (no edits)")
        }
    }

    /// The edit with `column1` and `column2` in force on `date`, if any.
    public func edit(column1: String, column2: String, on date: ServiceDate) -> PTPEdit? {
        editsByPair[PairKey(column1: column1, column2: column2)]?.first { $0.applies(on: date) }
    }

    public var count: Int { editsByPair.values.reduce(0) { $0 + $1.count } }
}
