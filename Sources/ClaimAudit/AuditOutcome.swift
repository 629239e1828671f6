import ClaimModel

/// What the audit stage hands to reporting.
public struct AuditOutcome: Sendable {
    public var findings: [Finding]
    /// Lines that reached the rules (pump-related lines of this run).
    public var linesAudited: Int

    public init(findings: [Finding], linesAudited: Int) {
        self.findings = findings
        self.linesAudited = linesAudited
    }

    /// The most serious severity found, if any.
    public var highestSeverity: Severity? { findings.map(\.severity).max() }
}
