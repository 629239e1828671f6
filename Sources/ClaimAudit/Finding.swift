import ClaimModel

/// One problem a rule found: on one claim line, or, for a rule across patients, on a
/// provider's pattern of billing (no claim and no line).
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
    /// The line the finding is about; nil for a finding about a provider.
    public var line: ClaimLine?
    /// The provider and measure a finding about a provider is about; nil for a line's finding.
    public var provider: ProviderSubject?
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

    /// A finding about a provider's billing across patients: no claim, no line.
    public init(
        ruleID: String, severity: Severity, provider: ProviderSubject, message: Message, citation: String
    ) {
        self.ruleID = ruleID
        self.severity = severity
        self.line = nil
        self.provider = provider
        self.message = message
        self.related = nil
        self.citation = citation
    }

    /// A finding of `rule` about a provider, with the rule's identifier and citation.
    public init<R: Rule>(_ rule: R.Type, _ severity: Severity, about provider: ProviderSubject, _ message: Message) {
        self.init(
            ruleID: rule.description.identifier, severity: severity, provider: provider, message: message,
            citation: rule.description.citation)
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
    /// A provider's finding is the same when its rule, provider and measure are.
    public var identityKey: String {
        func identity(_ line: ClaimLine) -> String {
            "\(line.claimID)\u{1F}\(line.lineNumber ?? -1)\u{1F}\(line.patientID)\u{1F}\(line.serviceDate)\u{1F}\(line.code)"
        }
        guard let line else {
            let subject = provider.map { "provider\u{1F}\($0.npi)\u{1F}\($0.measure)" } ?? "provider"
            return [ruleID, subject].joined(separator: "\u{1E}")
        }
        return ([ruleID, identity(line)] + (related.map { [identity($0)] } ?? [])).joined(separator: "\u{1E}")
    }

    /// The provider the finding names in the reports: the line's rendering NPI, else
    /// its billing NPI; the provider itself for a finding about a provider.
    public var providerNPI: String? { line?.providerNPI ?? provider?.npi }

    /// The line's paid amount, else its allowed amount, else its charge; for a
    /// finding about a provider, the amount its rule estimated.
    public var amountAtRisk: Money { line?.amountAtRisk ?? provider?.amountAtRisk ?? .zero }

    /// The order every report lists findings in: by file place, then rule; findings
    /// about providers, which have no place, after every line's, by rule, provider
    /// and measure.
    public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        ReportKey(a) < ReportKey(b)
    }

    /// `findings` in report order, ties in the order given; each finding's key is
    /// taken once, not at every comparison.
    public static func inReportOrder(_ findings: [Finding]) -> [Finding] {
        let keys = findings.map(ReportKey.init)
        let order = findings.indices.sorted { keys[$0] < keys[$1] || (!(keys[$1] < keys[$0]) && $0 < $1) }
        return order.map { findings[$0] }
    }

    /// What `reportOrder` compares, taken out of a finding once: a merge that compares
    /// one finding with many others keeps its key instead of reading the finding again.
    public struct ReportKey: Comparable, Sendable {
        /// The line's place; nil for a finding about a provider, which comes after.
        let source: SourceLocation?
        let ruleID: String
        let npi: String
        let measure: String
        let message: String

        public init(_ finding: Finding) {
            source = finding.line?.source
            ruleID = finding.ruleID
            let provider = source == nil ? finding.provider : nil
            npi = provider?.npi ?? ""
            measure = provider?.measure ?? ""
            message = finding.message.text
        }

        public static func < (a: ReportKey, b: ReportKey) -> Bool {
            switch (a.source, b.source) {
            case (let x?, let y?):
                if x != y { return x < y }
                if a.ruleID != b.ruleID { return a.ruleID < b.ruleID }
                return a.message < b.message
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil):
                return (a.ruleID, a.npi, a.measure, a.message) < (b.ruleID, b.npi, b.measure, b.message)
            }
        }
    }
}

/// What a finding about a provider is about: the provider (rendering NPI, else billing
/// NPI) and the measure it was compared on, with the amount its rule puts at risk.
public struct ProviderSubject: Sendable, Hashable {
    public var npi: String
    /// A stable name of the measure ("physician_skill_share"): one provider may be
    /// flagged on several.
    public var measure: String
    /// The rule's estimate of what the pattern costs the payer; zero when it cannot tell.
    public var amountAtRisk: Money

    public init(npi: String, measure: String, amountAtRisk: Money = .zero) {
        self.npi = npi
        self.measure = measure
        self.amountAtRisk = amountAtRisk
    }
}
