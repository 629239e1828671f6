/// The MUE values of one setting in force for a run: the built-in table, or the CMS
/// file the user loaded, which replaces it (it is never merged with it).
public struct MUETable: Sendable {
    public let setting: ReferenceSetting
    private var edits: [String: MUEEdit] = [:]
    /// The files loaded in place of the built-in table; empty while it is the built-in one.
    public private(set) var loadedFiles: [String] = []

    public init(setting: ReferenceSetting, edits: [MUEEdit]) {
        self.setting = setting
        for edit in edits { self.edits[edit.code] = edit }
    }

    /// Adds a loaded file's values; the first file replaces the built-in table.
    public mutating func load(_ loaded: [MUEEdit], from file: String) {
        if loadedFiles.isEmpty { edits = [:] }
        for edit in loaded { edits[edit.code] = edit }
        loadedFiles.append("\(file) (\(loaded.count) codes; the CMS file carries no effective dates)")
    }

    public var isBuiltIn: Bool { loadedFiles.isEmpty }

    public subscript(code: String) -> MUEEdit? { edits[code] }

    /// Every value, in no particular order.
    public var values: some Collection<MUEEdit> { edits.values }

    public var count: Int { edits.count }
}
