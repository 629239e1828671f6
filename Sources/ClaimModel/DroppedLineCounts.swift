/// Lines read but kept from the rules because they would count a service twice or
/// count a service that was taken back. The counts reconcile: every in-scope line is
/// audited by the rules, set aside (its patient has no pump service), or counted here.
public struct DroppedLineCounts: Sendable, Hashable {
    /// Second and later copies of one line (the same file read twice, or the same line
    /// in two exports).
    public var duplicates = 0
    /// Lines of a voided claim, and the void's own lines.
    public var voided = 0
    /// Earlier versions of a claim that a replacement claim replaced.
    public var replaced = 0
    /// Reversal lines (negative units or amounts) and the lines they cancel.
    public var reversed = 0
    /// Void or reversal lines that matched nothing read in this run; dropped, since
    /// they are not services.
    public var unmatched = 0

    public init() {}

    public var total: Int { duplicates + voided + replaced + reversed + unmatched }

    /// Adds another part's counts (a partition's) to these.
    public static func += (lhs: inout DroppedLineCounts, rhs: DroppedLineCounts) {
        lhs.duplicates += rhs.duplicates
        lhs.voided += rhs.voided
        lhs.replaced += rhs.replaced
        lhs.reversed += rhs.reversed
        lhs.unmatched += rhs.unmatched
    }
}
