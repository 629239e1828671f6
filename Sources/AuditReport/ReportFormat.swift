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

    /// Writes the summary in this format to `out`.
    public func write(_ summary: AuditSummary, to out: inout some TextOutputStream) {
        switch self {
        case .summaryMarkdown: out.write(SummaryMarkdownReporter.render(summary))
        case .findingsCSV: FindingsCSVReporter.write(summary, to: &out)
        }
    }

    /// The summary in this format, as one string.
    public func render(_ summary: AuditSummary) -> String {
        var text = ""
        write(summary, to: &text)
        return text
    }
}
