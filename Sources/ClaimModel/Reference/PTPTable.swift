/// The PTP edits of one setting in force for a run: the built-in table, or the CMS
/// files the user loaded, which replace it (they are never merged with it).
public struct PTPTable: Sendable {
    public let setting: ReferenceSetting
    private var editsByPair: [PairKey: PTPEdit] = [:]
    /// The files loaded in place of the built-in table, in load order, each with the
    /// span of its edits' effective dates ("ptp.txt (4 edits, effective 2004-01-01 to 2026-01-01)").
    /// Empty while the table is the built-in one.
    public private(set) var loadedFiles: [String] = []

    struct PairKey: Hashable, Sendable {
        var column1: String
        var column2: String
    }

    public init(setting: ReferenceSetting, edits: [PTPEdit]) {
        self.setting = setting
        insert(edits)
    }

    /// Adds a loaded file's edits. The first file replaces the built-in table; later
    /// ones add to it, as CMS ships one quarter's practitioner table in several parts.
    public mutating func load(_ edits: [PTPEdit], from file: String) {
        if loadedFiles.isEmpty { editsByPair = [:] }
        insert(edits)
        let dates = edits.map(\.effective)
        if let first = dates.min(), let last = dates.max() {
            loadedFiles.append("\(file) (\(edits.count) edits, effective \(first) to \(last))")
        } else {
            loadedFiles.append("\(file) (no edits)")
        }
    }

    /// Keeps one row per pair: the active one when a pair is listed twice.
    private mutating func insert(_ edits: [PTPEdit]) {
        for edit in edits {
            let key = PairKey(column1: edit.column1, column2: edit.column2)
            if let kept = editsByPair[key], !edit.isMoreActive(than: kept) { continue }
            editsByPair[key] = edit
        }
    }

    public var isBuiltIn: Bool { loadedFiles.isEmpty }

    /// The edit with `column1` and `column2` in force on `date`, if any.
    public func edit(column1: String, column2: String, on date: ServiceDate) -> PTPEdit? {
        editsByPair[PairKey(column1: column1, column2: column2)].flatMap { $0.applies(on: date) ? $0 : nil }
    }

    /// Every edit, in no particular order.
    public var edits: some Collection<PTPEdit> { editsByPair.values }

    /// The codes some edit of this table pairs with one of `codes`, on either side;
    /// edits with indicator 9 never fire and add none.
    public func codesPaired(with codes: Set<String>) -> Set<String> {
        var paired: Set<String> = []
        for edit in editsByPair.values where edit.modifierIndicator != .notApplicable {
            if codes.contains(edit.column1) { paired.insert(edit.column2) }
            if codes.contains(edit.column2) { paired.insert(edit.column1) }
        }
        return paired
    }

    public var count: Int { editsByPair.count }
}
