import ClaimAudit
import ClaimModel

/// `summary.md`: the audit summary a compliance officer reads.
public enum SummaryMarkdownReporter {
    /// The most findings listed per rule; `findings.csv` has them all.
    public static let findingsListedPerRule = 100
    /// The most suppressed findings listed; `findings.csv` has them all.
    public static let suppressedFindingsListed = findingsListedPerRule * 5
    /// How many providers the top-provider tables show.
    public static let topProviders = 10

    /// The summary, from its digest alone: the findings themselves are not read.
    public static func render(_ summary: AuditSummary) -> String {
        let totals = summary.digest.totals
        return [
            header(summary), inputs(summary), findingsByRule(totals), providers(totals), peers(summary), months(totals),
            newAndRecurring(summary), findingsList(summary), suppressed(summary), rejections(summary),
        ]
        .joined()
    }

    static func header(_ summary: AuditSummary) -> String {
        var out = "# pumpaudit summary\n\n"
        out += "- Generated: \(summary.generatedAt)\n"
        out += "- pumpaudit \(summary.toolVersion)\n"
        out +=
            "- Period: \(summary.period.map { "\($0) (findings on lines of these dates only; others are context)" } ?? "all dates in the inputs")\n"
        out += "- History store: \(summary.history.map(cell) ?? "none (--no-history)")\n"
        for reference in summary.reference {
            out += "- Reference data: \(cell(reference))\n"
        }
        out +=
            "- Settings changed from the defaults: \(summary.changedSettings.isEmpty ? "none" : summary.changedSettings.map(cell).joined(separator: "; "))\n"
        out += "- Rows read: \(summary.rowsRead) = \(summary.rowsAudited) audited + \(summary.rowsRejected) rejected"
        let wide = summary.inputs.filter { $0.wideLayout != nil }
        if !wide.isEmpty {
            let records = wide.reduce(0) { $0 + $1.recordsRead }
            let lines = wide.reduce(0) { $0 + $1.rowsRead }
            out += " (the rows of wide exports count as their service lines: \(records) rows became \(lines))"
        }
        out += "\n"
        out +=
            "- Out of scope: a row whose code no rule reads is counted once its fields are counted and its quoting "
            + "checked; its other fields are not decoded, so it is never rejected for them\n"
        let dropped = summary.droppedLines
        if dropped.total > 0 {
            out += "- Lines dropped before the rules: \(dropped.total) = \(dropped.duplicates) duplicate (read twice), "
            out += "\(dropped.voided) voided, \(dropped.replaced) replaced, \(dropped.reversed) reversed, "
            out += "\(dropped.unmatched) void or reversal with nothing to net against\n"
        }
        out += claimHeaderJoin(summary)
        out += "- Pump-related lines audited by the rules: \(summary.linesAudited)"
        if summary.linesWithoutPumpService > 0 {
            out +=
                " (\(summary.linesWithoutPumpService) E/M, drug or facility lines of patients without a pump service set aside)"
        }
        out += "\n"
        let counts = Severity.allCases.reversed().map { "\(summary.count($0)) \($0.rawValue)" }.joined(separator: ", ")
        out += "- Findings: \(summary.activeFindingCount) (\(counts)), \(summary.amountAtRisk) at risk"
        let suppressedCount = summary.suppressedFindingCount
        out += suppressedCount > 0 ? "; \(suppressedCount) suppressed\n\n" : "\n\n"
        return out
    }

    /// What a file's columns made of its rows, when that is not one line a row of every
    /// column found: a wide file's rows became service lines, and columns that look like
    /// more lines or codes were ignored. Plain text, after the file's name.
    public static func columnNotes(_ input: InputFileSummary) -> [String] {
        var notes: [String] = []
        if let layout = input.wideLayout {
            notes.append(
                "is a wide export (\(layout)): its \(input.recordsRead) rows became \(input.rowsRead) service lines, "
                    + "one per code column filled (one for a row without any); its counts are of service lines")
        }
        if !input.ignoredColumns.isEmpty {
            notes.append(
                "has columns that look like more service lines or codes than the mapping reads, ignored: "
                    + input.ignoredColumns.joined(separator: ", ")
                    + "; map them with a numbered pattern in --columns (for example hcpcs_code: \"HCPCS_CD_{n}\")")
        }
        return notes
    }

    /// Facility lines joined to their claim header (CCLF2 lines to CCLF1), and those
    /// audited without one; nothing for exports whose facility lines carry a type of bill.
    static func claimHeaderJoin(_ summary: AuditSummary) -> String {
        let join = summary.claimHeaderJoin
        var out = ""
        if join.joined > 0 {
            out += "- Facility lines joined to their claim header (type of bill, claim dates, NPIs, diagnoses, "
            out += "adjustment): \(join.joined)\n"
        }
        if join.withoutHeader > 0 {
            out += "- Facility lines without a type of bill: \(join.withoutHeader); "
            out +=
                summary.inputs.contains(where: \.holdsClaimHeaders)
                ? "their claim header is in no input (a CCLF2 line whose CCLF1 header is missing), "
                : "no input holds claim headers (CCLF1), "
            out += "so they are audited as facility lines without their claim's type of bill, NPIs, diagnoses "
            out += "and adjustment type\n"
        }
        return out
    }

    /// What "out of scope" promises, in the words of the summary.
    public static let outOfScopeSentence =
        "Out of scope: rows whose code no rule reads; they are checked for structure (quoting, field count) "
        + "and counted, and their other fields are not decoded, so a bad value there is no reason to reject them."

    /// What becomes of context rows, in the words of the summary.
    public static let contextSentence =
        "In scope: E/M, drug and facility rows without quotes wait undecoded until the run knows whether their "
        + "patient is audited; they are decoded (or rejected) only then, so the rows of patients who are not audited "
        + "are counted in scope with only their field count, patient, claim and date checked."

    static func inputs(_ summary: AuditSummary) -> String {
        var out = "## Inputs\n\n"
        out += "| file | format | rows read | audited | in scope | out of scope | rejected | SHA-256 |\n"
        out += "|---|---|---:|---:|---:|---:|---:|---|\n"
        for input in summary.inputs {
            let name = input.isEmpty ? "\(input.file) (empty: no header row)" : input.file
            out += "| \(cell(name)) | \(input.format) | \(input.rowsRead) | \(input.rowsAudited) | "
            out += "\(input.rowsInScope) | \(input.rowsOutOfScope) | \(input.rowsRejected) | `\(input.sha256)` |\n"
        }
        out += "\n\(Self.outOfScopeSentence) \(Self.contextSentence)\n\n"
        for input in summary.inputs {
            for note in Self.columnNotes(input) {
                out += "- \(cell(input.file)) \(cell(note))\n"
            }
            for note in summary.notes(for: input) {
                out += "- \(cell(input.file)) \(note.whenMissing)\n"
            }
            if let shape = shapeNote(input) { out += "- \(cell(input.file)) \(shape)\n" }
        }
        for skipped in summary.skippedInputs {
            out += "- Not read: \(cell(skipped))\n"
        }
        return out + "\n"
    }

    /// The rows around the data that were skipped or set aside: title rows above the
    /// header, blank rows, footers; nil when there were none. `quote` makes a title
    /// row's text safe for the report it goes into.
    static func shapeNote(_ input: InputFileSummary, quote: (String) -> String = cell) -> String? {
        var parts: [String] = []
        if !input.titleRows.isEmpty {
            let titles = input.titleRows.map { "\"\(quote($0))\"" }.joined(separator: ", ")
            parts.append("\(input.titleRows.count) title row(s) above the header, skipped: \(titles)")
        }
        if input.rowsBlank > 0 { parts.append("\(input.rowsBlank) blank row(s) (only delimiters) skipped") }
        if input.footerRows > 0 {
            parts.append("\(input.footerRows) footer row(s) (totals, notes) rejected, never audited")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    static func findingsByRule(_ totals: FindingTotals) -> String {
        var out = "## Findings by rule\n\n"
        guard !totals.byRuleAndSeverity.isEmpty else { return out + "No findings.\n\n" }
        out += "| rule | severity | findings | amount at risk |\n|---|---|---:|---:|\n"
        for group in totals.byRuleAndSeverity {
            out += "| \(group.rule) | \(group.severity.rawValue) | \(group.count) | \(group.amount) |\n"
        }
        return out + "\n"
    }

    static func providers(_ totals: FindingTotals) -> String {
        guard !totals.byProvider.isEmpty else { return "" }
        var out = "## Top providers\n\nRendering NPI, else billing NPI.\n\n"
        out += "| by findings | findings | amount at risk |\n|---|---:|---:|\n"
        for group in totals.topProvidersByCount(topProviders) {
            out += "| \(cell(group.name)) | \(group.count) | \(group.amount) |\n"
        }
        out += "\n| by amount at risk | findings | amount at risk |\n|---|---:|---:|\n"
        for group in totals.topProvidersByAmount(topProviders) {
            out += "| \(cell(group.name)) | \(group.count) | \(group.amount) |\n"
        }
        return out + "\n"
    }

    static func months(_ totals: FindingTotals) -> String {
        let months = totals.byMonth
        guard months.count > 1 else { return "" }
        var out = "## Findings per month of service\n\n| month | findings | amount at risk |\n|---|---:|---:|\n"
        for month in months {
            out += "| \(month.name) | \(month.count) | \(month.amount) |\n"
        }
        return out + "\n"
    }

    static func newAndRecurring(_ summary: AuditSummary) -> String {
        guard summary.history != nil else { return "" }
        let recurring = summary.digest.count(.recurring)
        var out = "## New and recurring\n\n"
        out +=
            "Against the earlier runs of \(summary.period.map { "period \($0)" } ?? "the same inputs' dates") in the history store: "
        out += "\(summary.activeFindingCount - recurring) new, \(recurring) recurring.\n\n"
        return out
    }

    static func findingsList(_ summary: AuditSummary) -> String {
        let byRule = summary.digest.rules
        guard !byRule.isEmpty else { return "" }
        var out = "## Findings\n\n"
        for rule in byRule.keys.sorted() {
            let entries = byRule[rule]!
            out += "### \(rule)\n\n"
            if let description = RuleRegistry.rule(withIdentifier: rule)?.description {
                out += "\(description.rationale)\n\n"
            }
            out += "_Source: \(cell(entries.first[0].finding.citation))_\n\n"
            out += table(entries.first.prefix(findingsListedPerRule))
            if entries.count > findingsListedPerRule {
                out += "\n\(entries.count - findingsListedPerRule) more \(rule) findings are in `findings.csv`.\n"
            }
            out += "\n"
        }
        return out
    }

    /// "Providers compared with their peers": one table per measure a rule across
    /// patients compared (the physician-skill share, the E/M+25 share).
    static func peers(_ summary: AuditSummary) -> String {
        let comparisons = summary.ruleSections.compactMap { section -> (RuleSection, ProviderComparison)? in
            guard case .providerComparison(let comparison) = section.metric else { return nil }
            return (section, comparison)
        }
        guard !comparisons.isEmpty else { return "" }
        var out = "## Providers compared with their peers\n\n"
        for (section, comparison) in comparisons {
            out +=
                "### Share of \(comparison.countName) among \(comparison.volumeName)\n\n"
            out += section.noteText(count: String.init) + "\n\n"
            let compared = comparison.compared
            guard !compared.isEmpty else {
                out += "No provider has \(comparison.minimumVolume) \(comparison.volumeName) or more.\n\n"
                continue
            }
            out +=
                "| NPI | \(comparison.volumeName) | \(comparison.countName) | share | peers' share | p-value | flagged | at risk |\n"
            out += "|---|---:|---:|---:|---:|---:|---|---:|\n"
            for row in compared {
                out += "| \(cell(row.npi)) | \(row.volume) | \(row.count) | \(ProviderComparison.percent(row.share)) | "
                out +=
                    "\(ProviderComparison.percent(row.peersShare)) | \(row.pValue.map(ProviderComparison.pValue) ?? "") | "
                out += "\(row.flagged ? "**flagged**" : "no") | \(row.amountAtRisk) |\n"
            }
            out += "\n"
        }
        return out
    }

    static func suppressed(_ summary: AuditSummary) -> String {
        let suppressed = summary.digest.firstSuppressed
        guard !suppressed.isEmpty || !summary.expiredSuppressions.isEmpty else { return "" }
        var out = "## Suppressed findings\n\nReviewed and suppressed: not counted in the totals or the exit code.\n\n"
        if !suppressed.isEmpty {
            out += "| rule | claim | line | date | reason | reviewer | expires |\n|---|---|---:|---|---|---|---|\n"
            for entry in suppressed.prefix(suppressedFindingsListed) {
                let line = entry.finding.line
                let note = entry.suppression
                out +=
                    "| \(entry.finding.ruleID) | \(cell(Self.subject(entry.finding))) | \(line?.lineNumber.map(String.init) ?? "") | "
                out +=
                    "\(line?.serviceDate.description ?? "") | \(cell(note?.reason ?? "")) | \(cell(note?.reviewer ?? "")) | \(note?.expires ?? "never") |\n"
            }
            out += "\n"
        }
        for expired in summary.expiredSuppressions {
            out += "- Expired: \(cell(expired))\n"
        }
        return out + (summary.expiredSuppressions.isEmpty ? "" : "\n")
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

    private static func table(_ entries: ArraySlice<ReportedFinding>) -> String {
        var out = "| severity | status | claim | line | date | code | message | at risk | source |\n"
        out += "|---|---|---|---:|---|---|---|---:|---|\n"
        for entry in entries {
            let finding = entry.finding
            let line = finding.line
            out += "| \(finding.severity.rawValue) | \(entry.status.rawValue) | \(cell(subject(finding))) | "
            out += "\(line?.lineNumber.map(String.init) ?? "") | \(line?.serviceDate.description ?? "") | "
            out += "\(cell(line?.code ?? "")) | \(cell(finding.message.text)) | \(finding.amountAtRisk) | "
            out += "\(cell(line?.source.description ?? "")) |\n"
        }
        return out
    }

    /// The claim a finding is on, or the provider a finding about a provider names.
    static func subject(_ finding: Finding) -> String {
        finding.line?.claimID ?? "provider \(finding.providerNPI ?? "")"
    }

    /// Text from the input made safe for a Markdown table cell.
    static func cell(_ text: String) -> String {
        // Most cells hold nothing to escape: looked for byte by byte, not by characters
        // (walking a message's grapheme clusters costs far more than writing it).
        if !text.utf8.contains(where: mayNeedEscaping) { return text }
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

    /// The bytes of the characters `cell` changes: `|`, line breaks and Markdown's
    /// punctuation.
    @inline(__always)
    private static func mayNeedEscaping(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "|"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\\"), UInt8(ascii: "`"),
            UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "["),
            UInt8(ascii: "]"):
            return true
        default:
            return false
        }
    }
}
