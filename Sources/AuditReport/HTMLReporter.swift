import ClaimAudit
import ClaimModel

/// `report.html`: the facts of `summary.md` for people, on one self-contained page
/// with inline SVG charts and a findings table to sort and filter.
///
/// The page references nothing outside itself (no script, style, font or image by
/// URL) and forbids fetching anything: reports hold patient data and are opened
/// offline. Every value from the input is escaped by `HTMLText.escape`.
enum HTMLReporter {
    /// The page, from the summary's digest alone: the findings themselves are not read.
    static func render(_ summary: AuditSummary) -> String {
        let totals = summary.digest.totals
        var page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
        page += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(HTMLPageAssets.contentSecurityPolicy)\"/>"
        page += "<meta name=\"referrer\" content=\"no-referrer\"/>"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
        page +=
            "<title>pumpaudit report \(HTMLText.escape(summary.period ?? String(summary.generatedAt.prefix(10))))</title>"
        page += "<style>\n\(HTMLPageAssets.style)</style></head>\n<body>"
        page += header(summary)
        page += "<main>" + cards(summary) + run(summary)
        page += byRule(totals) + byProvider(totals) + byMonth(totals) + summary.ruleSections.map(ruleSection).joined()
        page += HTMLFindingsTable.active(summary) + HTMLFindingsTable.suppressed(summary) + rejections(summary)
        page += "</main><footer>Written by pumpaudit \(HTMLText.escape(summary.toolVersion)). This page holds patient "
        page += "data: share it only as you would the claim exports. It loads nothing from the network.</footer>\n"
        page += "<script>\n\(HTMLPageAssets.script)</script>\n</body></html>\n"
        return page
    }

    static func header(_ summary: AuditSummary) -> String {
        let period = summary.period.map { "Period \(HTMLText.escape($0))" } ?? "All dates in the inputs"
        return "<header class=\"page\"><h1>pumpaudit report</h1><p>\(period) · generated "
            + "\(HTMLText.escape(summary.generatedAt)) · pumpaudit \(HTMLText.escape(summary.toolVersion))</p></header>"
    }

    static func cards(_ summary: AuditSummary) -> String {
        var cards = [("findings", HTMLText.count(summary.activeFindingCount), "")]
        cards += HTMLCharts.severities.map { ($0.rawValue, HTMLText.count(summary.count($0)), $0.rawValue) }
        cards.append(("at risk", HTMLText.dollars(summary.amountAtRisk), ""))
        cards.append(("suppressed", HTMLText.count(summary.suppressedFindingCount), ""))
        cards.append(
            ("rows read, \(HTMLText.count(summary.rowsRejected)) rejected", HTMLText.count(summary.rowsRead), ""))
        cards.append(("lines audited", HTMLText.count(summary.linesAudited), ""))
        return "<section class=\"cards\" id=\"totals\">"
            + cards.map { label, value, kind in
                "<div class=\"card \(kind)\"><div class=\"value\">\(value)</div><div class=\"label\">\(label)</div></div>"
            }.joined() + "</section>"
    }

    static func run(_ summary: AuditSummary) -> String {
        var facts: [(String, String)] = [("History store", summary.history ?? "none (--no-history)")]
        facts += summary.reference.map { ("Reference data", $0) }
        facts.append(
            (
                "Settings changed",
                summary.changedSettings.isEmpty ? "none" : summary.changedSettings.joined(separator: "; ")
            ))
        facts.append(
            ("Rows read", "\(summary.rowsRead) = \(summary.rowsAudited) audited + \(summary.rowsRejected) rejected"))
        var audited = "\(summary.linesAudited)"
        if summary.linesWithoutPumpService > 0 {
            audited +=
                " (\(summary.linesWithoutPumpService) E/M, drug or facility lines of patients without a pump service set aside)"
        }
        facts.append(("Pump-related lines audited", audited))
        var out = "<section id=\"run\"><h2>Run</h2><dl class=\"facts\">"
        out += facts.map { "<dt>\(HTMLText.escape($0))</dt><dd>\(HTMLText.escape($1))</dd>" }.joined() + "</dl>"
        out += "<h3>Inputs</h3><table id=\"inputs-table\"><thead><tr>"
        out += HTMLFindingsTable.header([
            "file", "format", "#rows read", "#audited", "#in scope", "#out of scope",
            "#rejected", "SHA-256",
        ])
        out += "</tr></thead><tbody>"
        for input in summary.inputs {
            let name = input.isEmpty ? "\(input.file) (empty: no header row)" : input.file
            out += "<tr>" + HTMLFindingsTable.sourceCell(name) + HTMLFindingsTable.cell(input.format)
            out += [input.rowsRead, input.rowsAudited, input.rowsInScope, input.rowsOutOfScope, input.rowsRejected]
                .map { "<td class=\"num\">\(HTMLText.count($0))</td>" }.joined()
            out += HTMLFindingsTable.cell(input.sha256, class: "code hash") + "</tr>"
        }
        out +=
            "</tbody></table><p class=\"note\">\(HTMLText.escape(SummaryMarkdownReporter.outOfScopeSentence + " " + SummaryMarkdownReporter.contextSentence))</p>"
        let notes = summary.inputs.flatMap { input in
            SummaryMarkdownReporter.columnNotes(input).map { (input.file, HTMLText.escape($0)) }
                + summary.notes(for: input).map { (input.file, $0.whenMissing) }
        }
        // The shape notes quote the files' own text: escaped here, as a whole.
        let shapes = summary.inputs.compactMap { input in
            SummaryMarkdownReporter.shapeNote(input, quote: { $0 }).map { (input.file, HTMLText.escape($0)) }
        }
        if !notes.isEmpty || !shapes.isEmpty {
            out +=
                "<ul class=\"note\">"
                + (notes + shapes).map { file, note in "<li><code>\(HTMLText.escape(file))</code> \(note)</li>" }
                .joined() + "</ul>"
        }
        return out + "</section>"
    }

    static func byRule(_ totals: FindingTotals) -> String {
        let rows = totals.byRuleAndSeverity.map { group in
            [group.rule, group.severity.rawValue, HTMLText.count(group.count), HTMLText.dollars(group.amount)]
        }
        return section(
            "rules", "Findings by rule", chart: HTMLCharts.byRule(totals).svg(),
            table: summaryTable(["rule", "severity", "#findings", "#amount at risk"], rows))
    }

    static func byProvider(_ totals: FindingTotals) -> String {
        let rows = totals.topProvidersByAmount(HTMLCharts.topProviders)
            .map { [$0.name, HTMLText.count($0.count), HTMLText.dollars($0.amount)] }
        let table = "<h3>By amount at risk</h3>" + summaryTable(["NPI", "#findings", "#amount at risk"], rows)
        return section(
            "providers", "Top providers", note: "Rendering NPI, else billing NPI.", chartHeading: "By findings",
            chart: HTMLCharts.byProvider(totals).svg(), table: table)
    }

    static func byMonth(_ totals: FindingTotals) -> String {
        let rows = totals.byMonth.map {
            [$0.name, HTMLText.count($0.count), HTMLText.dollars($0.amount)]
        }
        return section(
            "months", "Findings per month of service", chart: HTMLCharts.byMonth(totals).svg(),
            table: summaryTable(["month", "#findings", "#amount at risk"], rows))
    }

    /// A section a rule contributes: its note, and its metric drawn.
    static func ruleSection(_ rule: RuleSection) -> String {
        let note = rule.noteText(count: HTMLText.count)
        var table: String?
        if case .providerComparison(let comparison) = rule.metric {
            table = comparisonTable(comparison)
        }
        return section(rule.id, rule.title, note: note, chart: rule.metric.map(HTMLCharts.figure), table: table)
    }

    /// The providers at or above the minimum volume, beside their funnel plot.
    static func comparisonTable(_ comparison: ProviderComparison) -> String {
        let rows = comparison.compared.map { row in
            [
                row.npi, HTMLText.count(row.volume), ProviderComparison.percent(row.share),
                ProviderComparison.percent(row.peersShare), row.pValue.map(ProviderComparison.pValue) ?? "",
                row.flagged ? "flagged" : "", HTMLText.dollars(row.amountAtRisk),
            ]
        }
        return summaryTable(
            ["NPI", "#\(comparison.volumeName)", "#share", "#peers' share", "#p-value", "flagged", "#amount at risk"],
            rows
        )
    }

    static func rejections(_ summary: AuditSummary) -> String {
        var out = "<section id=\"rejections\"><h2>Rejected rows</h2>"
        let tally = summary.rejections
        guard tally.total > 0 else { return out + "<p>None.</p></section>" }
        out +=
            "<p>\(HTMLText.count(tally.total)) \(tally.total == 1 ? "row is" : "rows are") in <code>rejected.csv</code>, "
        out += "each with its file, line, reason and text.</p>"
        let rows = tally.countsByCategory.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { category, count in
            [
                category, HTMLText.count(count),
                (tally.examplesByCategory[category] ?? []).map(\.description).joined(separator: ", "),
            ]
        }
        return out + summaryTable(["reason", "#rows", "first places"], rows) + "</section>"
    }

    /// A heading, a chart and, beside it, the table of the same numbers: the chart for
    /// the shape, the table for exact values and for screen readers.
    /// `title` and `note` are markup, and hold no input.
    private static func section(
        _ id: String, _ title: String, note: String? = nil, chartHeading: String? = nil,
        chart: String?, table: String?
    ) -> String {
        var out = "<section id=\"\(id)\"><h2>\(title)</h2>"
        if let note { out += "<p class=\"note\">\(note)</p>" }
        guard let chart else { return out + (table ?? "") + "</section>" }
        guard let table else { return out + chart + "</section>" }
        let heading = chartHeading.map { "<h3>\($0)</h3>" } ?? ""
        return out + "<div class=\"pair\"><div>\(heading)\(chart)</div><div>\(table)</div></div></section>"
    }

    /// A plain table, scrolled past about a dozen rows so that it stays beside its chart.
    /// Cells are escaped here; a leading `#` in a header marks a number.
    private static func summaryTable(_ headers: [String], _ rows: [[String]]) -> String {
        var out =
            "<div class=\"scroll short\"><table><thead><tr>\(HTMLFindingsTable.header(headers))</tr></thead><tbody>"
        for row in rows {
            out +=
                "<tr>"
                + zip(headers, row).map { header, value in
                    header.hasPrefix("#")
                        ? "<td class=\"num\">\(HTMLText.escape(value))</td>" : HTMLFindingsTable.cell(value)
                }.joined() + "</tr>"
        }
        return out + "</tbody></table></div>"
    }

}
