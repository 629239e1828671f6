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
    /// The table the edit comes from: "built-in NCCI practitioner PTP 2024-07-01" or the loaded file's name.
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

    /// Whether this row of a pair wins over `other`: a quarter's file can list one
    /// pair twice, and the active row (no deletion, else the latest deletion) is the one in force.
    public func isMoreActive(than other: PTPEdit) -> Bool {
        switch (deleted, other.deleted) {
        case (nil, nil), (.some, nil): return false
        case (nil, .some): return true
        case (.some(let mine), .some(let theirs)): return mine > theirs
        }
    }

    /// One row per pair, the active one, in the order the pairs first appear.
    public static func keepingActive(_ edits: [PTPEdit]) -> [PTPEdit] {
        var kept: [PTPEdit] = []
        var index: [String: Int] = [:]
        for edit in edits {
            let key = edit.column1 + "/" + edit.column2
            if let at = index[key] {
                if edit.isMoreActive(than: kept[at]) { kept[at] = edit }
            } else {
                index[key] = kept.count
                kept.append(edit)
            }
        }
        return kept
    }
}
