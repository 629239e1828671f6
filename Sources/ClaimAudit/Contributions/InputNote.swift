/// What a rule needs of an input file that a file may lack: the field, by its canonical
/// name, and what its absence means, said after the file's name.
public struct InputNote: Sendable, Equatable {
    public var field: String
    /// "has no justification column: ...", written after the file's name; words of the
    /// rule's own, put in as they are.
    public var whenMissing: String

    public init(field: String, whenMissing: String) {
        self.field = field
        self.whenMissing = whenMissing
    }
}
