/// What joining facility lines to their claim headers made of one run: how many lines
/// a header completed, and how many facility lines had no type of bill and found no
/// header to take one from (a CCLF2 revenue center line whose CCLF1 claim header is
/// not among the inputs). Counted over the lines of patients with a pump service, the
/// lines that reach reconciliation.
public struct ClaimHeaderJoinCounts: Sendable, Hashable {
    /// Facility lines that took their claim header's type of bill and claim fields.
    public var joined = 0
    /// Facility lines left without a type of bill: audited with what they carry.
    public var withoutHeader = 0

    public init() {}

    /// Adds another part's counts (a partition's) to these.
    public static func += (lhs: inout ClaimHeaderJoinCounts, rhs: ClaimHeaderJoinCounts) {
        lhs.joined += rhs.joined
        lhs.withoutHeader += rhs.withoutHeader
    }
}

extension InputFileSummary {
    /// Whether the file is one of facility claim headers (CCLF1): a type of bill and no
    /// code column, each row a claim rather than a service line.
    public var holdsClaimHeaders: Bool {
        let fields = Set(fieldsPresent)
        return !fields.contains("hcpcs_code")
            && (fields.contains("bill_type_code") || fields.contains("facility_type_code"))
    }
}
