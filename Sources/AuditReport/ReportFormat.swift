/// The reports a run writes. Adding a case without its reporter does not compile.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// For people: the audit summary in Markdown.
    case summaryMarkdown
    /// For machines: one row per finding.
    case findingsCSV
    /// For machines: the findings with the run's metadata, as documented by
    /// `docs/findings.schema.json`.
    case findingsJSON
    /// For people: one self-contained page with charts and a table to sort and filter.
    case html

    public var fileName: String {
        switch self {
        case .summaryMarkdown: return "summary.md"
        case .findingsCSV: return "findings.csv"
        case .findingsJSON: return "findings.json"
        case .html: return "report.html"
        }
    }

    /// Writes the summary in this format to `out`. The people's reports read only the
    /// summary's digest; the machine exports walk its findings once, and throw what
    /// their source throws.
    public func write(_ summary: AuditSummary, to out: inout some TextOutputStream) throws {
        switch self {
        case .summaryMarkdown: out.write(SummaryMarkdownReporter.render(summary))
        case .findingsCSV: try FindingsCSVReporter.write(summary, to: &out)
        case .findingsJSON: try FindingsJSONReporter.write(summary, to: &out)
        case .html: out.write(HTMLReporter.render(summary))
        }
    }

    /// The summary in this format, as one string.
    public func render(_ summary: AuditSummary) throws -> String {
        var text = ""
        try write(summary, to: &text)
        return text
    }
}
