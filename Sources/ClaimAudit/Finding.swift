import ClaimModel

/// One problem a rule found on one claim line.
///
/// Rules create findings and return them; they never decide where findings go.
public struct Finding: Sendable, Hashable {
    public var ruleID: String
    public var severity: Severity
    /// The line the finding is about.
    public var line: ClaimLine
    /// Plain words, naming the other line involved when there is one.
    public var message: String
    /// The other line of a pair (the column-1 line of a PTP edit, the earlier refill...).
    public var related: ClaimLine?
    /// Where the rule's rationale comes from ("NCCI PTP edits", "pumpaudit default").
    public var citation: String

    public init(ruleID: String, severity: Severity, line: ClaimLine, message: String, related: ClaimLine? = nil,
                citation: String) {
        self.ruleID = ruleID
        self.severity = severity
        self.line = line
        self.message = message
        self.related = related
        self.citation = citation
    }

    /// The line's paid amount, else its allowed amount, else its charge.
    public var amountAtRisk: Money { line.amountAtRisk }

    /// The order every report lists findings in: by file place, then rule.
    public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        (a.line.source, a.ruleID, a.message) < (b.line.source, b.ruleID, b.message)
    }
}
