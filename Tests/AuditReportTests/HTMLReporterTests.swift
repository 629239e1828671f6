import ClaimAudit
import ClaimModel
import Foundation
import Testing

@testable import AuditReport

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Values a hostile export could carry, one per place the page shows input.
enum HostileField: String, CaseIterable, Sendable {
    case claimID, patientID, code, message, sourceFile, renderingNPI, ruleID, inputFile, sha256, reference,
        changedSetting, history, period, suppressionReason, reviewer, expiredSuppression, rejectionPlace,
        toolVersion, generatedAt, providerNPI

    /// Markup that would run or load something if it reached the page unescaped.
    var value: String { "<script>alert(\"\(rawValue)\")</script><img src=x onerror='1'>&" }
    var escaped: String {
        "&lt;script&gt;alert(&quot;\(rawValue)&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;1&#39;&gt;&amp;"
    }
}

private let date = ServiceDate(year: 2026, month: 10, day: 5)!

private func finding(
    _ index: Int = 0, rule: String = "unbundling", severity: Severity = .error, claim: String = "C1",
    patient: String = "P1", code: String = "62369", npi: String = "1457382913",
    file: String = "in.csv", month: Int = 10, message: String = "bundled"
) -> Finding {
    Finding(
        ruleID: rule, severity: severity,
        line: ClaimLine(
            source: SourceLocation(file: file, line: index + 2), claimID: claim, lineNumber: 1,
            patientID: patient, serviceDate: ServiceDate(year: 2026, month: month, day: 5)!, code: code,
            renderingNPI: npi, paidAmount: Money(cents: 12_345)),
        message: Finding.Message(message), citation: "NCCI PTP edits")
}

private func summary(
    _ findings: [ReportedFinding] = [], file: String = "in.csv", sha: String = "ab12",
    rejections: [Rejection] = []
) -> AuditSummary {
    var tally = RejectionTally()
    for rejection in rejections { tally.add(rejection) }
    var input = InputFileSummary(file: file, delimiter: "comma")
    input.rowsRead = 10
    input.rowsInScope = 10 - rejections.count
    input.rowsRejected = rejections.count
    input.sha256 = sha
    var summary = AuditSummary(
        toolVersion: "test", generatedAt: "2026-11-01T00:00:00Z", inputs: [input],
        reportedFindings: findings, rejections: tally, linesAudited: 10)
    summary.ruleSections = [intervalSection([])]
    return summary
}

/// Days counted in weekly bins with two thresholds, as a measuring rule would.
private func intervals(_ values: [Int]) -> Histogram {
    var histogram = Histogram(
        id: "refill-intervals", title: "Days between consecutive refills", counted: "refills",
        axis: "days since the patient's previous refill", unit: "day", binWidth: 7, lastBinStart: 364,
        markers: [
            Histogram.Marker(value: 14, label: "14 d: too soon"), Histogram.Marker(value: 180, label: "180 d: overdue"),
        ])
    for value in values { histogram.count(value) }
    return histogram
}

private func intervalSection(_ values: [Int]) -> RuleSection {
    let histogram = intervals(values)
    return RuleSection(
        id: "intervals", title: "Refill intervals",
        note: [.text("Days between refills ("), .count(histogram.total), .text(" intervals).")],
        metric: .histogram(histogram))
}

private func hostileSummary(_ field: HostileField) -> AuditSummary {
    let bad = field.value
    let base = finding(
        rule: field == .ruleID ? bad : "unbundling", claim: field == .claimID ? bad : "C1",
        patient: field == .patientID ? bad : "P1", code: field == .code ? bad : "62369",
        npi: field == .renderingNPI ? bad : "1457382913", file: field == .sourceFile ? bad : "in.csv",
        message: field == .message ? bad : "bundled")
    let note = SuppressionNote(
        reason: field == .suppressionReason ? bad : "reviewed",
        reviewer: field == .reviewer ? bad : "ana", expires: nil)
    let place = SourceLocation(file: field == .rejectionPlace ? bad : "in.csv", line: 4)
    // A finding about a provider, and its provider in a funnel plot and its table.
    let provider = field == .providerNPI ? bad : "1999999992"
    let aboutProvider = Finding(
        ruleID: "provider_outlier", severity: .warning,
        provider: ProviderSubject(npi: provider, measure: "physician_skill_share", amountAtRisk: Money(cents: 100)),
        message: "far above its peers", citation: "pumpaudit default")
    var result = summary(
        [
            ReportedFinding(base, firstSeen: "2026-11-01"),
            ReportedFinding(finding(1), status: .suppressed, firstSeen: "2026-10-01", suppression: note),
            ReportedFinding(aboutProvider, firstSeen: ""),
        ],
        file: field == .inputFile ? bad : "in.csv", sha: field == .sha256 ? bad : "ab12",
        rejections: [Rejection(source: place, reason: .badDate(column: "DOS", value: "x"), raw: "r")])
    result.ruleSections.append(
        RuleSection(
            id: "provider-outlier-skill", title: "Providers compared with their peers", note: [.text("compared")],
            metric: .providerComparison(
                ProviderComparison(
                    id: "provider-outlier-skill", volumeName: "refills", countName: "physician-skill refills",
                    pooledShare: 0.2, minimumVolume: 20, pValueThreshold: 0.001, minimumRatio: 1.5,
                    rows: [
                        .init(
                            npi: provider, volume: 30, count: 29, peersShare: 0.18, pValue: 1e-20, flagged: true,
                            amountAtRisk: Money(cents: 100)),
                        .init(
                            npi: "1700001013", volume: 40, count: 6, peersShare: 0.21, pValue: 0.7, flagged: false,
                            amountAtRisk: .zero),
                    ]))))
    result.reference = [field == .reference ? bad : "PTP: built-in"]
    result.changedSettings = field == .changedSetting ? [bad] : []
    result.expiredSuppressions = field == .expiredSuppression ? [bad] : []
    result.toolVersion = field == .toolVersion ? bad : "test"
    result.generatedAt = field == .generatedAt ? bad : "2026-11-01T00:00:00Z"
    return result.with(period: field == .period ? bad : nil, history: field == .history ? bad : "h.sqlite")
}

/// Whether `page` parses as XML once its style and script bodies are set aside: every
/// element closed, every attribute quoted, every `&` and `<` of the input escaped.
private func isWellFormed(_ page: String) -> Bool {
    var text = page
    for tag in ["style", "script"] {
        while let open = text.range(of: "<\(tag)>"),
            let close = text.range(of: "</\(tag)>", range: open.upperBound..<text.endIndex)
        {
            text.replaceSubrange(open.lowerBound..<close.upperBound, with: "")
        }
    }
    return XMLParser(data: Data(text.utf8)).parse()
}

@Suite struct HTMLReporterTests {
    @Test(arguments: HostileField.allCases)
    func inputIsEscapedEverywhere(field: HostileField) {
        let page = HTMLReporter.render(hostileSummary(field))
        // Paths and rule ids may carry line-break opportunities between characters.
        let text = page.replacingOccurrences(of: "<wbr/>", with: "")
        #expect(text.contains(field.escaped), "\(field) is not shown escaped")
        #expect(page.components(separatedBy: "<script").count == 2, "only the page's own script")
        #expect(!page.contains("<img"))
        #expect(!page.contains("onerror='"))
        #expect(isWellFormed(page))
    }

    @Test func thePageReferencesNothingOutsideItself() {
        let findings = (0..<30).map {
            ReportedFinding(finding($0, npi: "NPI\($0 % 4)", month: 1 + $0 % 12), firstSeen: "x")
        }
        var full = summary(findings)
        full.ruleSections = [intervalSection([3, 20, 45, 90, 200])]
        let page = HTMLReporter.render(full)
        for reference in [
            "http:", "https:", "//", "src=", "href=", "url(", "@import", "xlink", "<link", "<iframe", "<object",
        ] {
            #expect(!page.contains(reference), "\(reference)")
        }
        #expect(page.contains("http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"))
        #expect(isWellFormed(page))
    }

    @Test func everyChartIsDrawnFromAllFindings() {
        let findings = (0..<12).map {
            ReportedFinding(
                finding(
                    $0, rule: $0 < 8 ? "unbundling" : "pos_mismatch", severity: $0 < 8 ? .error : .warning,
                    npi: $0 < 5 ? "1111111111" : "2222222222", month: $0 < 6 ? 3 : 6), firstSeen: "x")
        }
        var full = summary(findings)
        full.ruleSections = [intervalSection([10, 30, 31, 95, 400])]
        let page = HTMLReporter.render(full)
        for chart in ["by-rule", "by-provider", "by-month", "refill-intervals"] {
            #expect(page.contains("data-chart=\"\(chart)\""), "\(chart)")
        }
        #expect(!page.contains("no data"))
        #expect(page.contains("<title>unbundling: 8 findings (error 8, warning 0, info 0)</title>"))
        #expect(page.contains("<title>2222222222: 7 findings (error 3, warning 4, info 0)</title>"))
        #expect(
            page.contains("<title>2026-04: 0 findings (error 0, warning 0, info 0)</title>"), "empty months are drawn")
        #expect(page.contains("14 d: too soon") && page.contains("180 d: overdue"))
        #expect(page.contains("<title>364+: 1 refills</title>"))
        #expect(page.contains("<section id=\"intervals\"><h2>Refill intervals</h2>"))
        #expect(page.contains("<p class=\"note\">Days between refills (5 intervals).</p>"))
    }

    @Test func aRuleSectionWithoutAMetricIsItsNote() {
        var withNote = summary()
        withNote.ruleSections = [
            RuleSection(id: "volume", title: "Volume", note: [.text("Seen: "), .count(12_345)], metric: nil)
        ]
        let page = HTMLReporter.render(withNote)
        #expect(page.contains("<section id=\"volume\"><h2>Volume</h2><p class=\"note\">Seen: 12,345</p></section>"))
        #expect(isWellFormed(page))
    }

    @Test func inputNotesNameEachFileThatLacksTheField() {
        var noted = summary()
        noted.inputNotes = [InputNote(field: "justification", whenMissing: "has no justification column.")]
        #expect(HTMLReporter.render(noted).contains("<li><code>in.csv</code> has no justification column.</li>"))
        noted.inputs[0].fieldsPresent = ["justification"]
        #expect(!HTMLReporter.render(noted).contains("has no justification column"))
    }

    @Test func anEmptySummaryIsStillAPage() {
        let page = HTMLReporter.render(summary())
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.hasSuffix("</body></html>\n"))
        #expect(page.components(separatedBy: ">no data</text>").count - 1 == 4)
        #expect(page.contains("<p>No findings.</p>"))
        #expect(!page.contains("id=\"findings-table\""))
        #expect(!page.contains("id=\"suppressed\""))
        #expect(isWellFormed(page))
    }

    @Test(arguments: [(5_000, false), (5_001, true)])
    func theTableIsCapped(count: Int, capped: Bool) {
        let findings = (0..<count).map { ReportedFinding(finding($0, claim: "C\($0)"), firstSeen: "x") }
        let page = HTMLReporter.render(summary(findings))
        #expect(page.components(separatedBy: "<tr data-rule=").count - 1 == min(count, HTMLFindingsTable.rowLimit))
        #expect(page.contains("id=\"row-cap\"") == capped)
        if capped {
            #expect(
                page.contains(
                    "the first 5,000 of 5,001 findings, in report order; <code>findings.csv</code> has them all"))
        }
        #expect(page.contains("<title>unbundling: \(HTMLText.count(count)) findings"), "charts count every finding")
    }

    @Test func suppressedFindingsHaveTheirOwnTable() throws {
        let note = SuppressionNote(reason: "documented in chart", reviewer: "j.doe", expires: "2027-01-31")
        var withSuppressed = summary([
            ReportedFinding(finding(0, claim: "KEEP"), firstSeen: "x"),
            ReportedFinding(
                finding(1, claim: "QUIET"), status: .suppressed, firstSeen: "x",
                suppression: note),
        ])
        withSuppressed.expiredSuppressions = ["unbundling claim OLD (expired 2026-09-30)"]
        let page = HTMLReporter.render(withSuppressed)
        let active = try #require(page.range(of: "id=\"findings-table\""))
        let suppressed = try #require(page.range(of: "id=\"suppressed-table\""))
        let activeTable = page[active.upperBound..<suppressed.lowerBound]
        #expect(activeTable.contains(">KEEP<") && !activeTable.contains(">QUIET<"))
        let suppressedTable = page[suppressed.upperBound...]
        #expect(suppressedTable.contains(">QUIET<") && suppressedTable.contains(">documented in chart<"))
        #expect(suppressedTable.contains(">j.doe<") && suppressedTable.contains(">2027-01-31<"))
        #expect(page.contains("<li>unbundling claim OLD (expired 2026-09-30)</li>"))
        #expect(page.contains("<div class=\"value\">1</div><div class=\"label\">suppressed</div>"))
        #expect(page.contains("<div class=\"value\">1</div><div class=\"label\">findings</div>"))
    }

    @Test func theFindingsTableCarriesItsSortAndFilterHooks() {
        let page = HTMLReporter.render(summary([ReportedFinding(finding(), firstSeen: "x")]))
        #expect(page.contains("<table id=\"findings-table\" class=\"sortable\">"))
        #expect(page.contains("<th class=\"num\" scope=\"col\">amount at risk</th>"))
        #expect(page.contains("<td class=\"num\" data-sort=\"12345\">$123.45</td>"))
        #expect(
            page.contains("<div class=\"controls\" id=\"findings-controls\" hidden=\"\">"), "hidden without JavaScript")
        #expect(page.contains("<option value=\"unbundling\">unbundling</option>"))
    }
}

@Suite struct SVGBarChartTests {
    @Test(arguments: [
        (0, 1, 1), (1, 1, 1), (5, 1, 5), (6, 2, 6), (7, 2, 8), (11, 5, 15), (48, 10, 50), (51, 20, 60),
        (4_999, 1_000, 5_000),
    ])
    func ticksAreRound(maximum: Int, step: Int, top: Int) {
        #expect(SVGBarChart.ticks(maximum) == (step, top))
    }

    @Test func aLongLabelIsTruncatedAndKeptWholeInItsTooltip() {
        let label = String(repeating: "x", count: 80)
        let chart = SVGBarChart(
            id: "t", title: "T", layout: .rows, series: [.init(name: "n", color: "#000")],
            bars: [.init(label: label, values: [3])], valueAxis: "findings")
        let svg = chart.svg()
        #expect(svg.contains("<title>\(label): 3 findings</title>"))
        #expect(svg.contains(">\(String(repeating: "x", count: 32))…</text>"))
    }

    @Test func histogramValuesFallInTheirBinsUpToTheLastBin() {
        let chart = HTMLCharts.histogram(intervals([0, 6, 7, 13, 14, 180, 364, 900, -3]))
        let bars = chart.bars
        #expect(bars.count == 53)
        #expect(bars.prefix(3).map(\.values) == [[2], [2], [1]])
        #expect(bars[25].values == [1] && bars[25].label == "175")
        #expect(bars.last?.label == "364+" && bars.last?.values == [2])
        #expect(chart.markers.map(\.position) == [2, 180.0 / 7])
        #expect(chart.categoryAxis == "days since the patient's previous refill (7-day bins)")
        #expect(HTMLCharts.histogram(intervals([20])).bars.count == 27, "the last marker stays in view")
    }

    @Test(arguments: [
        (0, "$0.00"), (5, "$0.05"), (-5, "-$0.05"), (99_999, "$999.99"), (100_000, "$1,000.00"),
        (123_456_789, "$1,234,567.89"),
    ])
    func dollarsAreGroupedByThousands(cents: Int64, text: String) {
        #expect(HTMLText.dollars(Money(cents: cents)) == text)
    }
}
