import ClaimModel

/// One problem a rule found on one claim line.
///
/// Rules create findings and return them; they never decide where findings go.
public struct Finding: Sendable, Hashable {
    /// A finding's text. Each rule keeps its messages beside it, in a
    /// `fileprivate extension Finding.Message`.
    public struct Message: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
        public let text: String

        public init(_ text: String) { self.text = text }
        public init(stringLiteral value: String) { text = value }
        public var description: String { text }
    }

    public var ruleID: String
    public var severity: Severity
    /// The line the finding is about.
    public var line: ClaimLine
    /// Plain words, naming the other line involved when there is one.
    public var message: Message
    /// The other line of a pair (the column-1 line of a PTP edit, the earlier refill...).
    public var related: ClaimLine?
    /// Where the rule's rationale comes from ("NCCI PTP edits", "pumpaudit default").
    public var citation: String

    public init(
        ruleID: String, severity: Severity, line: ClaimLine, message: Message, related: ClaimLine? = nil,
        citation: String
    ) {
        self.ruleID = ruleID
        self.severity = severity
        self.line = line
        self.message = message
        self.related = related
        self.citation = citation
    }

    /// A finding of `rule` with the rule's identifier and citation.
    public init<R: Rule>(
        _ rule: R.Type, _ severity: Severity, on line: ClaimLine, _ message: Message,
        related: ClaimLine? = nil
    ) {
        self.init(
            ruleID: rule.description.identifier, severity: severity, line: line, message: message,
            related: related, citation: rule.description.citation)
    }

    /// What makes a finding the same from one run to the next: the rule and the
    /// source identity of its line and of the related line. Not the message, whose
    /// wording may change between versions.
    public var identityKey: String {
        func identity(_ line: ClaimLine) -> String {
            "\(line.claimID)\u{1F}\(line.lineNumber ?? -1)\u{1F}\(line.patientID)\u{1F}\(line.serviceDate)\u{1F}\(line.code)"
        }
        return ([ruleID, identity(line)] + (related.map { [identity($0)] } ?? [])).joined(separator: "\u{1E}")
    }

    /// The line's paid amount, else its allowed amount, else its charge.
    public var amountAtRisk: Money { line.amountAtRisk }

    /// The order every report lists findings in: by file place, then rule.
    public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        (a.line.source, a.ruleID, a.message.text) < (b.line.source, b.ruleID, b.message.text)
    }
}
