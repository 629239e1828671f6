/// What a rule is, why it exists, and examples that show it: enough for
/// `pumpaudit rules`, for reports, and for the tests that run the examples.
public struct RuleDescription: Sendable {
    /// Stable snake_case identifier, used in reports and configuration.
    public let identifier: String
    public let name: String
    /// The most serious severity the rule reports.
    public let severity: Severity
    /// One paragraph: what the rule checks and why.
    public let rationale: String
    /// Where the rationale comes from: a CPT instruction, NCCI, a CMS manual, or
    /// "pumpaudit default".
    public let citation: String
    /// What the rule needs of an input file that some exports lack; the reports note
    /// each file that lacks it.
    public let inputNotes: [InputNote]
    /// Rows the rule must flag (the rows marked `↓`).
    public let triggeringExamples: [RuleExample]
    /// Rows the rule must leave alone.
    public let nonTriggeringExamples: [RuleExample]

    public init(
        identifier: String, name: String, severity: Severity, rationale: String, citation: String,
        inputNotes: [InputNote] = [], triggeringExamples: [RuleExample],
        nonTriggeringExamples: [RuleExample]
    ) {
        self.identifier = identifier
        self.name = name
        self.severity = severity
        self.rationale = rationale
        self.citation = citation
        self.inputNotes = inputNotes
        self.triggeringExamples = triggeringExamples
        self.nonTriggeringExamples = nonTriggeringExamples
    }
}
