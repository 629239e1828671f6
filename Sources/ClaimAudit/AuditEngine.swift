import ClaimModel

/// Stage 2 of the audit: runs the rules over the claim lines of a run.
public struct AuditEngine: Sendable {
    public init() {}

    public func audit(_ lines: [ClaimLine]) -> AuditOutcome {
        AuditOutcome(findings: [], linesAudited: lines.count)
    }
}
