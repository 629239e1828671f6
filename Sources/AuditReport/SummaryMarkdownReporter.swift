import ClaimAudit
import ClaimModel

/// `summary.md`: the audit summary a compliance officer reads.
public enum SummaryMarkdownReporter {
    /// The most findings listed per rule; `findings.csv` has them all.
    public static let findingsListedPerRule = 100

    public static func render(_ summary: AuditSummary) -> String {
        var out = "# pumpaudit summary\n\n"
        out += "- Generated: \(summary.generatedAt)\n"
        out += "- pumpaudit \(summary.toolVersion)\n"
        out += "- Period: \(summary.period.map { "\($0) (findings on lines of these dates only; others are context)" } ?? "all dates in the inputs")\n"
        out += "- History store: \(summary.history.map(cell) ?? "none (--no-history)")\n"
        out += "- Rows read: \(summary.rowsRead) = \(summary.rowsAudited) audited + \(summary.rowsRejected) rejected\n"
        out += "- Pump-related lines audited by the rules: \(summary.linesAudited)"
        if summary.linesWithoutPumpService > 0 {
            out += " (\(summary.linesWithoutPumpService) E/M, drug or facility lines of patients without a pump service set aside)"
        }
        out += "\n"
        for reference in summary.reference {
            out += "- Reference data: \(cell(reference))\n"
        }
        out += "- Findings: \(summary.findings.count) (\(Severity.allCases.reversed().map { "\(summary.count($0)) \($0.rawValue)" }.joined(separator: ", ")))\n\n"
        out += inputs(summary)
        out += findingsByRule(summary)
        out += findingsList(summary)
        out += rejections(summary)
        return out
    }

    static func inputs(_ summary: AuditSummary) -> String {
        var out = "## Inputs\n\n"
        out += "| file | delimiter | rows read | audited | in scope | out of scope | rejected |\n"
        out += "|---|---|---:|---:|---:|---:|---:|\n"
        for input in summary.inputs {
            let name = input.isEmpty ? "\(input.file) (empty: no header row)" : input.file
            out += "| \(cell(name)) | \(input.delimiter) | \(input.rowsRead) | \(input.rowsAudited) | "
            out += "\(input.rowsInScope) | \(input.rowsOutOfScope) | \(input.rowsRejected) |\n"
        }
        out += "\n"
        for input in summary.inputs where !input.isEmpty && !input.fieldsPresent.contains("complexity_justification") {
            out += "- \(cell(input.file)) has no justification column: every professional 62370 and 95991 line in it "
            out += "is reported by missing_complexity_justification.\n"
        }
        return out + "\n"
    }

    static func findingsByRule(_ summary: AuditSummary) -> String {
        var out = "## Findings by rule\n\n"
        guard !summary.findings.isEmpty else { return out + "No findings.\n\n" }
        out += "| rule | severity | findings | amount at risk |\n|---|---|---:|---:|\n"
        let groups = Dictionary(grouping: summary.findings) { "\($0.ruleID)\u{0}\($0.severity.rawValue)" }
        for key in groups.keys.sorted() {
            let group = groups[key]!
            let amount = group.reduce(Money.zero) { $0 + $1.amountAtRisk }
            out += "| \(group[0].ruleID) | \(group[0].severity.rawValue) | \(group.count) | \(amount) |\n"
        }
        return out + "\n"
    }

    static func findingsList(_ summary: AuditSummary) -> String {
        guard !summary.findings.isEmpty else { return "" }
        var out = "## Findings\n\n"
        let byRule = Dictionary(grouping: summary.findings, by: \.ruleID)
        for rule in byRule.keys.sorted() {
            let findings = byRule[rule]!
            out += "### \(rule)\n\n_Source: \(cell(findings[0].citation))_\n\n"
            out += "| severity | claim | line | date | code | message | at risk | source |\n"
            out += "|---|---|---:|---|---|---|---:|---|\n"
            for finding in findings.prefix(findingsListedPerRule) {
                let line = finding.line
                out += "| \(finding.severity.rawValue) | \(cell(line.claimID)) | \(line.lineNumber.map(String.init) ?? "") | "
                out += "\(line.serviceDate) | \(cell(line.code)) | \(cell(finding.message.text)) | \(finding.amountAtRisk) | "
                out += "\(cell(line.source.description)) |\n"
            }
            if findings.count > findingsListedPerRule {
                out += "\n\(findings.count - findingsListedPerRule) more \(rule) findings are in `findings.csv`.\n"
            }
            out += "\n"
        }
        return out
    }

    static func rejections(_ summary: AuditSummary) -> String {
        var out = "## Rejected rows\n\n"
        let tally = summary.rejections
        guard tally.total > 0 else { return out + "None.\n" }
        out += "\(tally.total) rows are in `rejected.csv` with their file, line, reason and text.\n\n"
        out += "| reason | rows | first places |\n|---|---:|---|\n"
        for (category, count) in tally.countsByCategory.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
            let places = (tally.examplesByCategory[category] ?? []).map(\.description).joined(separator: ", ")
            out += "| \(category) | \(count) | \(cell(places)) |\n"
        }
        return out
    }

    /// Text from the input made safe for a Markdown table cell.
    static func cell(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "|": out += "\\|"
            case "\n", "\r", "\r\n": out += " "
            case "\\", "`", "*", "_", "<", ">", "[", "]": out += "\\\(character)"
            default: out.append(character)
            }
        }
        return out
    }
}
