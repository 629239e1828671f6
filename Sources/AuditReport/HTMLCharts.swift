import ClaimAudit
import ClaimModel

/// The charts of `report.html`, built from the totals of every active finding (the
/// page's table may be capped; its charts never are).
enum HTMLCharts {
    /// Severities from the worst, the order of every stack and legend.
    static let severities: [Severity] = Severity.allCases.sorted(by: >)
    static let severitySeries = severities.map { SVGBarChart.Series(name: $0.rawValue, color: color($0)) }
    static let topProviders = SummaryMarkdownReporter.topProviders

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

    /// The figure of a rule's metric, as SVG markup.
    static func figure(_ metric: RuleMetric) -> String {
        switch metric {
        case .histogram(let histogram): return self.histogram(histogram).svg()
        case .providerComparison(let comparison): return SVGFunnelPlot(comparison: comparison).svg()
        }
    }

    /// Values in bins of the histogram's width, with its markers drawn where they fall;
    /// the bins reach past the last marker, so that every threshold stays in view.
    static func histogram(_ histogram: Histogram) -> SVGBarChart {
        let width = histogram.binWidth
        let lastNeeded = max(histogram.counts.keys.max() ?? 0, (histogram.markers.map(\.value).max() ?? 0) + width)
        let binCount = min(lastNeeded, histogram.lastBinStart) / width + 1
        var counts = Array(repeating: 0, count: binCount)
        for (value, count) in histogram.counts {
            counts[min(value / width, binCount - 1)] += count
        }
        let bars = counts.enumerated().map { index, count in
            let start = index * width
            let label = index == binCount - 1 && start >= histogram.lastBinStart ? "\(start)+" : "\(start)"
            return SVGBarChart.Bar(label: label, values: [count])
        }
        let markers = histogram.markers.map {
            SVGBarChart.Marker(position: Double($0.value) / Double(width), label: $0.label)
        }
        // Alone in its section, a histogram takes the page's width: its bins are many and narrow.
        return SVGBarChart(
            id: histogram.id, title: histogram.title, layout: .histogram,
            series: [SVGBarChart.Series(name: histogram.counted, color: "#0f766e")], bars: bars,
            markers: markers, valueAxis: histogram.counted,
            categoryAxis: "\(histogram.axis) (\(width)-\(histogram.unit) bins)", width: 1000)
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
