/// Where a record was read: the input file and the physical line its record starts on.
///
/// Every claim line and every rejected row carries one, so that an auditor can open
/// the export at the exact place a finding or a rejection comes from.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The input file as the user named it (or as found in a named folder).
    public var file: String
    /// 1-based physical line on which the record starts. A record with a quoted
    /// newline spans several lines; this is the first of them.
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line) < (rhs.file, rhs.line)
    }
}
