import ClaimAudit
import ClaimModel

/// The findings tables of `report.html`: the active findings, to sort and filter, and
/// the suppressed ones apart.
///
/// Rows are written as HTML, never embedded as data for the script: the escaping
/// happens once, here, and the script only reorders and hides what is already safe.
enum HTMLFindingsTable {
    /// The most rows a table holds. Past this a browser grows slow to sort and filter;
    /// `findings.csv` has every finding and the charts count them all.
    static let rowLimit = 5_000

    static func active(_ summary: AuditSummary) -> String {
        let digest = summary.digest
        let activeCount = digest.activeFindingCount
        var out = "<section id=\"findings\"><h2>Findings</h2>"
        guard activeCount > 0 else { return out + "<p>No findings.</p></section>" }
        if summary.history != nil {
            let recurring = digest.count(.recurring)
            out +=
                "<p>Against the earlier runs of \(summary.period.map { "period \(HTMLText.escape($0))" } ?? "the same dates") "
            out +=
                "in the history store: \(HTMLText.count(activeCount - recurring)) new, \(HTMLText.count(recurring)) recurring.</p>"
        }
        out += controls(rules: digest.rules.keys.sorted())
        if activeCount > rowLimit {
            out += "<p class=\"cap\" id=\"row-cap\">This table shows the first \(HTMLText.count(rowLimit)) of "
            out += "\(HTMLText.count(activeCount)) findings, in report order; <code>findings.csv</code> has them all. "
            out += "The charts and totals count every finding.</p>"
        }
        out += "<div class=\"scroll\"><table id=\"findings-table\" class=\"sortable\"><thead><tr>"
        out += header([
            "rule", "severity", "status", "claim", "#line", "patient", "date", "code", "message",
            "#amount at risk", "source",
        ])
        out += "</tr></thead><tbody>"
        for entry in digest.firstActive.prefix(rowLimit) {
            let finding = entry.finding
            out +=
                "<tr data-rule=\"\(HTMLText.escape(finding.ruleID))\" data-severity=\"\(finding.severity.rawValue)\" "
            out += "data-status=\"\(entry.status.rawValue)\">"
            out += ruleCell(finding.ruleID) + severityCell(finding.severity) + cell(entry.status.rawValue)
            out += lineCells(entry) + cell(finding.message.text, class: "message")
            out += amountCell(finding.amountAtRisk) + sourceCell(finding.line?.source.description ?? "") + "</tr>"
        }
        return out + "</tbody></table></div></section>"
    }

    static func suppressed(_ summary: AuditSummary) -> String {
        let suppressed = summary.digest.firstSuppressed
        let suppressedCount = summary.suppressedFindingCount
        guard suppressedCount > 0 || !summary.expiredSuppressions.isEmpty else { return "" }
        var out = "<section id=\"suppressed\"><h2>Suppressed findings</h2>"
        out += "<p class=\"note\">Reviewed and suppressed: not counted in the totals, the charts or the exit code.</p>"
        if suppressedCount > rowLimit {
            out += "<p class=\"cap\">This table shows the first \(HTMLText.count(rowLimit)) of "
            out +=
                "\(HTMLText.count(suppressedCount)) suppressed findings; <code>findings.csv</code> has them all.</p>"
        }
        if suppressedCount > 0 {
            out += "<div class=\"scroll\"><table id=\"suppressed-table\" class=\"sortable\"><thead><tr>"
            out += header([
                "rule", "severity", "claim", "#line", "patient", "date", "code", "message", "#amount at risk",
                "reason", "reviewer", "expires",
            ])
            out += "</tr></thead><tbody>"
            for entry in suppressed.prefix(rowLimit) {
                let finding = entry.finding
                out += "<tr>" + ruleCell(finding.ruleID) + severityCell(finding.severity)
                out += lineCells(entry)
                out += cell(finding.message.text, class: "message") + amountCell(finding.amountAtRisk)
                out +=
                    cell(entry.suppression?.reason ?? "", class: "text")
                    + cell(entry.suppression?.reviewer ?? "", class: "text")
                out += cell(entry.suppression?.expires ?? "never", class: "nowrap") + "</tr>"
            }
            out += "</tbody></table></div>"
        }
        if !summary.expiredSuppressions.isEmpty {
            out += "<h3>Expired suppressions</h3><p class=\"note\">Their findings are active again.</p><ul>"
            out += summary.expiredSuppressions.map { "<li>\(HTMLText.escape($0))</li>" }.joined()
            out += "</ul>"
        }
        return out + "</section>"
    }

    /// The filter box and selects; `hidden` until the script shows them, so that a
    /// page read without JavaScript shows no control that does nothing.
    private static func controls(rules: [String]) -> String {
        var out = "<div class=\"controls\" id=\"findings-controls\" hidden=\"\">"
        out +=
            "<label>Filter <input type=\"search\" id=\"filter-text\" placeholder=\"claim, patient, NPI, message…\"/></label>"
        out += select("filter-severity", "Severity", HTMLCharts.severities.map(\.rawValue))
        out += select("filter-rule", "Rule", rules)
        out += select("filter-status", "Status", FindingStatus.allCases.filter { $0 != .suppressed }.map(\.rawValue))
        return out + "<output id=\"findings-count\" class=\"note\"></output></div>"
    }

    private static func select(_ id: String, _ label: String, _ values: [String]) -> String {
        var out = "<label>\(label) <select id=\"\(id)\"><option value=\"\">all</option>"
        for value in values {
            out += "<option value=\"\(HTMLText.escape(value))\">\(HTMLText.escape(value))</option>"
        }
        return out + "</select></label>"
    }

    /// Header cells; a leading `#` marks a numeric column, which the script sorts by number.
    static func header(_ names: [String]) -> String {
        names.map { name in
            name.hasPrefix("#")
                ? "<th class=\"num\" scope=\"col\">\(name.dropFirst())</th>" : "<th scope=\"col\">\(name)</th>"
        }.joined()
    }

    /// Claim, line, patient, date and code.
    private static func lineCells(_ entry: ReportedFinding) -> String {
        // A finding about a provider names the provider where a claim would be.
        let line = entry.finding.line
        var out = cell(SummaryMarkdownReporter.subject(entry.finding), class: "code nowrap")
        out += "<td class=\"num\">\(line?.lineNumber.map(String.init) ?? "")</td>"
        out += cell(line?.patientID ?? "", class: "code nowrap")
        out += cell(line?.serviceDate.description ?? "", class: "nowrap")
        return out + cell(line?.code ?? "", class: "code nowrap")
    }

    /// Rule ids may break after their underscores: the longest, four words joined,
    /// would otherwise take a fifth of the table.
    private static func ruleCell(_ rule: String) -> String {
        "<td class=\"code\">\(HTMLText.escape(rule, breakingAfter: ["_"]))</td>"
    }

    /// The file as the user named it, breakable after each folder and underscore.
    static func sourceCell(_ source: String) -> String {
        "<td class=\"code\">\(HTMLText.escape(source, breakingAfter: ["/", "_"]))</td>"
    }

    static func cell(_ text: String, class name: String? = nil) -> String {
        "<td\(name.map { " class=\"\($0)\"" } ?? "")>\(HTMLText.escape(text))</td>"
    }

    /// Shown in dollars, sorted by cents.
    static func amountCell(_ amount: Money) -> String {
        "<td class=\"num\" data-sort=\"\(amount.cents)\">\(HTMLText.dollars(amount))</td>"
    }

    static func severityCell(_ severity: Severity) -> String {
        "<td><span class=\"sev sev-\(severity.rawValue)\">\(severity.rawValue)</span></td>"
    }
}
