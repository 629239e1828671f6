import ClaimAudit
import ClaimModel

/// A finding as the reports show it: with whether it is new, was reported by an
/// earlier run of the same period, or was reviewed and suppressed.
public struct ReportedFinding: Sendable, Hashable {
    public var finding: Finding
    public var status: FindingStatus
    /// The date (YYYY-MM-DD) of the first run that reported this finding.
    public var firstSeen: String
    /// The review that suppresses it, when `status` is `.suppressed`.
    public var suppression: SuppressionNote?

    public init(
        _ finding: Finding, status: FindingStatus = .new, firstSeen: String, suppression: SuppressionNote? = nil
    ) {
        self.finding = finding
        self.status = status
        self.firstSeen = firstSeen
        self.suppression = suppression
    }

    /// Whether the finding counts toward the exit code and the totals.
    public var isActive: Bool { status != .suppressed }
}

/// New, recurring or suppressed.
public enum FindingStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// Not reported by an earlier run of the same period.
    case new
    /// Reported by an earlier run of the same period too.
    case recurring
    /// Reviewed and suppressed: listed apart, not counted toward the exit code.
    case suppressed
}

/// Why a finding is suppressed, and by whom.
public struct SuppressionNote: Sendable, Hashable {
    public var reason: String
    public var reviewer: String
    /// YYYY-MM-DD, when the suppression lapses.
    public var expires: String?

    public init(reason: String, reviewer: String, expires: String?) {
        self.reason = reason
        self.reviewer = reviewer
        self.expires = expires
    }
}
