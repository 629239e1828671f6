import ClaimAudit
import Foundation

/// A funnel plot drawn as inline SVG: each provider a dot at its volume (x) and share
/// (y), the pooled share of all providers a line, and the 95% and 99.8% binomial
/// control limits around it, which narrow as volume grows.
///
/// A dot outside the 99.8% funnel on the upper side is where the one-sided test at
/// p < 0.001 would put it; flagged providers (who also meet the ratio) are drawn in
/// red. Every dot's `<title>` names the NPI and its figures; NPIs come from the input
/// and are escaped.
struct SVGFunnelPlot: Sendable {
    let comparison: ProviderComparison
    var width = 640.0
    var height = 380.0

    private let left = 56.0
    private let top = 40.0
    private var right: Double { width - 20 }
    private var bottom: Double { height - 52 }

    /// The limits drawn: two-sided 95% (2.5% in each tail) and 99.8% (0.1% in each).
    static let limits: [(name: String, tail: Double, color: String, dash: String)] = [
        ("95% limits", 0.025, "#6b7280", "5 4"),
        ("99.8% limits", 0.001, "#b91c1c", "2 3"),
    ]

    func svg() -> String {
        let title = "Funnel plot: share of \(comparison.countName) by \(comparison.volumeName), per provider"
        var out = "<svg class=\"chart funnel\" data-chart=\"\(HTMLText.escape(comparison.id))\" role=\"img\" "
        out += "aria-label=\"\(HTMLText.escape(title))\" viewBox=\"0 0 \(n(width)) \(n(height))\" "
        out += "width=\"\(n(width))\" height=\"\(n(height))\" font-family=\"system-ui, sans-serif\" font-size=\"12\">"
        out += "<title>\(HTMLText.escape(title))</title>"
        guard let maxVolume = comparison.rows.map(\.volume).max(), maxVolume > 0 else {
            out += "<text class=\"no-data\" x=\"\(n(width / 2))\" y=\"33\" text-anchor=\"middle\" fill=\"#6b7280\">"
            return out + "no data</text></svg>"
        }
        let (step, axisEnd) = SVGBarChart.ticks(maxVolume)
        func x(_ volume: Double) -> Double { left + volume / Double(axisEnd) * (right - left) }
        func y(_ share: Double) -> Double { bottom - share * (bottom - top) }
        out += legend()
        // Gridlines and axes.
        for tick in stride(from: 0, through: axisEnd, by: step) {
            out += "<line x1=\"\(n(x(Double(tick))))\" y1=\"\(n(top))\" x2=\"\(n(x(Double(tick))))\" "
            out += "y2=\"\(n(bottom))\" stroke=\"#e5e7eb\"/>"
            out += "<text x=\"\(n(x(Double(tick))))\" y=\"\(n(bottom + 16))\" text-anchor=\"middle\" fill=\"#6b7280\">"
            out += "\(HTMLText.count(tick))</text>"
        }
        for percent in stride(from: 0, through: 100, by: 25) {
            let share = Double(percent) / 100
            out += "<line x1=\"\(n(left))\" y1=\"\(n(y(share)))\" x2=\"\(n(right))\" y2=\"\(n(y(share)))\" "
            out += "stroke=\"#e5e7eb\"/><text x=\"\(n(left - 6))\" y=\"\(n(y(share) + 4))\" text-anchor=\"end\" "
            out += "fill=\"#6b7280\">\(percent)%</text>"
        }
        // The control limits, sampled along the volume axis.
        let pooled = comparison.pooledShare
        let volumes = Self.samples(upTo: axisEnd)
        for limit in Self.limits {
            for side in ["upper", "lower"] {
                let points = volumes.map { volume -> String in
                    let share =
                        side == "upper"
                        ? BinomialTest.upperLimit(trials: volume, probability: pooled, tail: limit.tail)
                        : BinomialTest.lowerLimit(trials: volume, probability: pooled, tail: limit.tail)
                    return "\(n(x(Double(volume)))),\(n(y(share)))"
                }
                out += "<polyline class=\"limit\" data-limit=\"\(limit.name) \(side)\" fill=\"none\" "
                out +=
                    "stroke=\"\(limit.color)\" stroke-dasharray=\"\(limit.dash)\" points=\"\(points.joined(separator: " "))\"/>"
            }
        }
        out += "<line class=\"pooled\" x1=\"\(n(left))\" y1=\"\(n(y(pooled)))\" x2=\"\(n(right))\" "
        out += "y2=\"\(n(y(pooled)))\" stroke=\"#0f766e\" stroke-width=\"1.5\"><title>"
        out += "pooled share of all providers: \(ProviderComparison.percent(pooled))</title></line>"
        // Flagged dots last, so that none hides under the others.
        for row in comparison.rows.sorted(by: { !$0.flagged && $1.flagged }) {
            out +=
                "<circle class=\"provider\(row.flagged ? " flagged" : "")\" data-npi=\"\(HTMLText.escape(row.npi))\" "
            out += "cx=\"\(n(x(Double(row.volume))))\" cy=\"\(n(y(row.share)))\" r=\"\(row.flagged ? 6 : 4)\" "
            out += "fill=\"\(row.flagged ? "#dc2626" : row.isCompared ? "#2563eb" : "#9ca3af")\" "
            out += "fill-opacity=\"0.8\" stroke=\"#ffffff\"><title>\(HTMLText.escape(tooltip(row)))</title></circle>"
        }
        out += "<text x=\"\(n((left + right) / 2))\" y=\"\(n(bottom + 38))\" text-anchor=\"middle\" fill=\"#6b7280\">"
        out += "\(HTMLText.escape(comparison.volumeName)) in the window</text>"
        out += "<text x=\"14\" y=\"\(n((top + bottom) / 2))\" text-anchor=\"middle\" fill=\"#6b7280\" "
        out +=
            "transform=\"rotate(-90 14 \(n((top + bottom) / 2)))\">share of \(HTMLText.escape(comparison.countName))</text>"
        return out + "</svg>"
    }

    /// "NPI 1999999991: 38 of 40 refills are physician-skill refills (95.0%); peers 15.8%; p = 3.80e-15; flagged".
    func tooltip(_ row: ProviderComparison.Row) -> String {
        var text = "NPI \(row.npi): \(row.count) of \(row.volume) \(comparison.volumeName) are "
        text +=
            "\(comparison.countName) (\(ProviderComparison.percent(row.share))); peers \(ProviderComparison.percent(row.peersShare)); "
        if let p = row.pValue {
            text += "p = \(ProviderComparison.pValue(p))"
        } else {
            text += "below the minimum of \(comparison.minimumVolume), not tested"
        }
        if row.flagged { text += "; flagged, amount at risk \(HTMLText.dollars(row.amountAtRisk))" }
        return text
    }

    private func legend() -> String {
        var out = ""
        var x = left
        let items: [(String, String)] = [
            ("flagged", "#dc2626"), ("compared", "#2563eb"), ("below minimum", "#9ca3af"),
        ]
        for (name, color) in items {
            out += "<circle cx=\"\(n(x + 5))\" cy=\"12\" r=\"5\" fill=\"\(color)\"/>"
            out += "<text x=\"\(n(x + 14))\" y=\"16\" fill=\"#374151\">\(name)</text>"
            x += 24 + Double(name.count) * 6.6
        }
        out += "<line x1=\"\(n(x))\" y1=\"12\" x2=\"\(n(x + 18))\" y2=\"12\" stroke=\"#0f766e\" stroke-width=\"1.5\"/>"
        out += "<text x=\"\(n(x + 22))\" y=\"16\" fill=\"#374151\">pooled</text>"
        x += 74
        for limit in Self.limits {
            out += "<line x1=\"\(n(x))\" y1=\"12\" x2=\"\(n(x + 18))\" y2=\"12\" stroke=\"\(limit.color)\" "
            out +=
                "stroke-dasharray=\"\(limit.dash)\"/><text x=\"\(n(x + 22))\" y=\"16\" fill=\"#374151\">\(limit.name)</text>"
            x += 32 + Double(limit.name.count) * 6.6
        }
        return out
    }

    /// Volumes from 1 to `end`, close together where the funnel bends (small volumes).
    static func samples(upTo end: Int) -> [Int] {
        var volumes: Set<Int> = [1, end]
        var volume = 1.0
        while volume < Double(end) {
            volumes.insert(Int(volume.rounded()))
            volume = max(volume + 1, volume * 1.08)
        }
        return volumes.filter { $0 >= 1 && $0 <= end }.sorted()
    }

    private func n(_ value: Double) -> String { SVGBarChart.number(value) }
}
