/// The reports a run writes. Adding a case without its reporter does not compile.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// For people: the audit summary in Markdown.
    case summaryMarkdown
    /// For machines: one row per finding.
    case findingsCSV

    public var fileName: String {
        switch self {
        case .summaryMarkdown: return "summary.md"
        case .findingsCSV: return "findings.csv"
        }
    }

    /// Renders the summary in this format.
    public func render(_ summary: AuditSummary) -> String {
        switch self {
        case .summaryMarkdown: return SummaryMarkdownReporter.render(summary)
        case .findingsCSV: return FindingsCSVReporter.render(summary)
        }
    }
}
