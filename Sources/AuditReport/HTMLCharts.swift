import ClaimAudit
import ClaimModel

/// The charts of `report.html`, built from the totals of every active finding (the
/// page's table may be capped; its charts never are).
enum HTMLCharts {
    /// Severities from the worst, the order of every stack and legend.
    static let severities: [Severity] = Severity.allCases.sorted(by: >)
    static let severitySeries = severities.map { SVGBarChart.Series(name: $0.rawValue, color: color($0)) }
    static let topProviders = SummaryMarkdownReporter.topProviders
    /// Refill intervals are counted in weeks: refills are planned in weeks.
    static let binDays = 7
    /// Intervals past a year share the last bin, so that one stray date keeps the bins readable.
    static let lastBinStart = 364

    static func color(_ severity: Severity) -> String {
        switch severity {
        case .error: return "#dc2626"
        case .warning: return "#f59e0b"
        case .info: return "#3b82f6"
        }
    }

    static func byRule(_ totals: FindingTotals) -> SVGBarChart {
        var counts: [String: [Int]] = [:]
        for (key, sum) in totals.tally.byRuleAndSeverity {
            let index = severities.firstIndex(of: key.severity)!
            counts[key.rule, default: severities.map { _ in 0 }][index] += sum.count
        }
        let bars = counts.map { SVGBarChart.Bar(label: $0.key, values: $0.value) }
            .sorted { ($1.total, $0.label) < ($0.total, $1.label) }
        return SVGBarChart(
            id: "by-rule", title: "Findings by rule", layout: .rows, series: severitySeries, bars: bars,
            valueAxis: "findings")
    }

    static func byProvider(_ totals: FindingTotals) -> SVGBarChart {
        let bars = stacked(totals.tally.byProvider.lazy.map { ($0.key, $0.value) })
            .sorted { ($1.total, $0.label) < ($0.total, $1.label) }
        return SVGBarChart(
            id: "by-provider", title: "Top \(topProviders) providers by findings", layout: .rows,
            series: severitySeries, bars: Array(bars.prefix(topProviders)), valueAxis: "findings")
    }

    /// One column per calendar month from the first to the last, empty months
    /// included: a gap in time should look like one.
    static func byMonth(_ totals: FindingTotals) -> SVGBarChart {
        let byKey = Dictionary(
            uniqueKeysWithValues: stacked(totals.tally.byMonth.lazy.map { ($0.key.name, $0.value) })
                .map { ($0.label, $0) })
        let bars = months(from: byKey.keys.min(), to: byKey.keys.max()).map { month in
            byKey[month] ?? SVGBarChart.Bar(label: month, values: severities.map { _ in 0 })
        }
        return SVGBarChart(
            id: "by-month", title: "Findings by month of service", layout: .columns,
            series: severitySeries, bars: bars, valueAxis: "findings", categoryAxis: "month of service")
    }

    /// Days between consecutive refills in weekly bins, with the abnormal-interval
    /// thresholds drawn where they fall.
    static func refillIntervals(_ summary: AuditSummary) -> SVGBarChart {
        let intervals = summary.refillIntervals.filter { $0 >= 0 }
        let (minimum, maximum) = thresholds(summary.changedSettings)
        let lastNeeded = max(intervals.max() ?? 0, maximum + binDays)
        let binCount = min(lastNeeded, lastBinStart) / binDays + 1
        var counts = Array(repeating: 0, count: binCount)
        for days in intervals {
            counts[min(days / binDays, binCount - 1)] += 1
        }
        let bars = counts.enumerated().map { index, count in
            let start = index * binDays
            let label = index == binCount - 1 && start >= lastBinStart ? "\(start)+" : "\(start)"
            return SVGBarChart.Bar(label: label, values: [count])
        }
        let markers = [
            SVGBarChart.Marker(position: Double(minimum) / Double(binDays), label: "\(minimum) d: too soon"),
            SVGBarChart.Marker(position: Double(maximum) / Double(binDays), label: "\(maximum) d: overdue"),
        ]
        // Alone in its section, the histogram takes the page's width: its bins are many and narrow.
        return SVGBarChart(
            id: "refill-intervals", title: "Days between consecutive refills", layout: .histogram,
            series: [SVGBarChart.Series(name: "refills", color: "#0f766e")], bars: bars,
            markers: markers, valueAxis: "refills",
            categoryAxis: "days since the patient's previous refill (\(binDays)-day bins)", width: 1000)
    }

    /// The refill thresholds in force: the defaults, unless the run's changed settings
    /// name another value.
    static func thresholds(_ changedSettings: [String]) -> (minimum: Int, maximum: Int) {
        let defaults = AbnormalIntervalRule.Settings()
        func setting(_ key: String) -> Int? {
            let prefix = "abnormal_interval.\(key) = "
            return changedSettings.lazy.filter { $0.hasPrefix(prefix) }.compactMap { Int($0.dropFirst(prefix.count)) }
                .first
        }
        return (
            setting("min_refill_days") ?? defaults.minRefillDays, setting("max_refill_days") ?? defaults.maxRefillDays
        )
    }

    /// One bar per group, one value per severity.
    private static func stacked(_ groups: some Sequence<(String, FindingTotals.Sum)>) -> [SVGBarChart.Bar] {
        groups.map { label, sum in SVGBarChart.Bar(label: label, values: severities.map { sum.count($0) }) }
    }

    /// `YYYY-MM` keys from `first` through `last`.
    static func months(from first: String?, to last: String?) -> [String] {
        guard let first, let last, let start = yearMonth(first), let end = yearMonth(last) else { return [] }
        var months: [String] = []
        var (year, month) = start
        while (year, month) <= end {
            months.append("\(year)-\(month < 10 ? "0" : "")\(month)")
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        return months
    }

    private static func yearMonth(_ key: String) -> (Int, Int)? {
        let parts = key.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]) else { return nil }
        return (year, month)
    }
}
