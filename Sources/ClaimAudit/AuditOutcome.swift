import ClaimModel

/// What the audit stage hands to reporting.
public struct AuditOutcome: Sendable {
    /// Findings on this run's lines, in report order.
    public var findings: [Finding]
    /// Lines of this run that reached the rules.
    public var linesAudited: Int
    /// Lines of this run dropped because their patient has no pump service (E/M,
    /// drug and facility lines of other patients).
    public var linesWithoutPumpService: Int
    /// What this run's lines contribute to the cross-patient rules and the measuring
    /// rules; merged across partitions, then handed to `AuditEngine.findings(from:)`
    /// and `AuditEngine.sections(from:)`.
    public var partials = RulePartials()

    public init(findings: [Finding], linesAudited: Int, linesWithoutPumpService: Int) {
        self.findings = findings
        self.linesAudited = linesAudited
        self.linesWithoutPumpService = linesWithoutPumpService
    }

    /// The most serious severity found, if any.
    public var highestSeverity: Severity? { findings.map(\.severity).max() }
}
