/// What a rule needs of an input file that a file may lack: the field, by its canonical
/// name (or any of several that carry the same values), and what its absence means,
/// said after the file's name.
public struct InputNote: Sendable, Equatable {
    public var field: String
    /// Fields that carry the same values when the file has them instead (one column of
    /// every modifier for `hcpcs_modifier_1`).
    public var alternatives: [String]
    /// "has no justification column: ...", written after the file's name; words of the
    /// rule's own, put in as they are.
    public var whenMissing: String

    public init(field: String, or alternatives: [String] = [], whenMissing: String) {
        self.field = field
        self.alternatives = alternatives
        self.whenMissing = whenMissing
    }

    /// Whether a file whose header supplied `fieldsPresent` lacks what the note is about.
    public func isMissing(from fieldsPresent: [String]) -> Bool {
        !([field] + alternatives).contains { fieldsPresent.contains($0) }
    }
}
