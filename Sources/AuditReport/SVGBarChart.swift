/// A bar chart drawn as inline SVG: chart values in, markup out.
///
/// `report.html` may not load anything (it holds patient data and is read offline),
/// so its charts are SVG written into the page rather than a charting script. Bars
/// stack one segment per series; every label is escaped, truncated to fit, and given
/// in full in a tooltip.
struct SVGBarChart: Sendable {
    /// One stacked part of every bar, such as a severity.
    struct Series: Sendable {
        var name: String
        /// A CSS colour; chosen by the caller, never taken from the input.
        var color: String
    }

    /// One bar: its label and one value per series.
    struct Bar: Sendable {
        var label: String
        var values: [Int]
        var total: Int { values.reduce(0, +) }
    }

    /// A dashed threshold line across a column chart, `position` bars from the left
    /// edge of the plot (1.5 is the middle of the second bar).
    struct Marker: Sendable {
        var position: Double
        var label: String
    }

    /// Rows suit long names (rules, NPIs); columns suit an ordered axis (months, bins).
    enum Layout: Sendable {
        case rows
        case columns
        /// Columns that touch, labelled at their left edge: a histogram whose labels
        /// are bin starts.
        case histogram
    }

    /// Names the chart for tests and styles (`data-chart`); not shown.
    var id: String
    var title: String
    var layout: Layout
    var series: [Series]
    var bars: [Bar]
    var markers: [Marker] = []
    /// What the bars count ("findings").
    var valueAxis: String
    /// What the bars are ("month of service"), shown under columns.
    var categoryAxis: String? = nil

    /// The drawing's width in its own units; the page scales it to fit.
    var width = 600.0
    private static let charWidth = 6.6
    private var isEmpty: Bool { bars.allSatisfy { $0.total == 0 } }
    private var maxTotal: Int { bars.map(\.total).max() ?? 0 }

    /// The chart as one `<svg>` element; a short "no data" figure when every bar is zero.
    func svg() -> String {
        let height = isEmpty ? 56 : (layout == .rows ? rowsHeight : Self.columnsHeight)
        var out = "<svg class=\"chart\" data-chart=\"\(HTMLText.escape(id))\" role=\"img\" "
        out += "aria-label=\"\(HTMLText.escape(title))\" viewBox=\"0 0 \(n(width)) \(n(height))\" "
        out += "width=\"\(n(width))\" height=\"\(n(height))\" font-family=\"system-ui, sans-serif\" font-size=\"12\">"
        out += "<title>\(HTMLText.escape(title))</title>"
        if isEmpty {
            out += "<text class=\"no-data\" x=\"\(n(width / 2))\" y=\"33\" text-anchor=\"middle\" fill=\"#6b7280\">"
            out += "no data</text></svg>"
            return out
        }
        out += legend()
        out += layout == .rows ? rows() : columns()
        return out + "</svg>"
    }

    // MARK: Rows

    private static let rowHeight = 24.0
    private var legendHeight: Double { series.count > 1 ? 24 : 0 }
    private var rowsHeight: Double { legendHeight + 8 + Double(bars.count) * Self.rowHeight + 44 }

    private func rows() -> String {
        let longest = bars.map(\.label.count).max() ?? 0
        let labelWidth = min(230, max(60, Double(longest) * Self.charWidth + 12))
        let left = labelWidth + 8
        let right = width - 56
        let (step, top) = Self.ticks(maxTotal)
        let scale = (right - left) / Double(top)
        let plotTop = legendHeight + 8
        let plotBottom = plotTop + Double(bars.count) * Self.rowHeight
        var out = axisTicks(step: step, top: top) { value in
            let x = left + Double(value) * scale
            return
                "<line x1=\"\(n(x))\" y1=\"\(n(plotTop))\" x2=\"\(n(x))\" y2=\"\(n(plotBottom))\" stroke=\"#e5e7eb\"/>"
                + "<text x=\"\(n(x))\" y=\"\(n(plotBottom + 16))\" text-anchor=\"middle\" fill=\"#6b7280\">\(HTMLText.count(value))</text>"
        }
        for (index, bar) in bars.enumerated() {
            let y = plotTop + Double(index) * Self.rowHeight
            out += "<g>\(tooltip(bar))"
            out += "<text x=\"\(n(labelWidth))\" y=\"\(n(y + 16))\" text-anchor=\"end\" fill=\"#111827\">"
            out += "\(HTMLText.escape(Self.truncate(bar.label, to: Int((labelWidth - 12) / Self.charWidth))))</text>"
            var x = left
            for (value, part) in zip(bar.values, series) where value > 0 {
                let length = Double(value) * scale
                out +=
                    "<rect x=\"\(n(x))\" y=\"\(n(y + 4))\" width=\"\(n(length))\" height=\"16\" fill=\"\(HTMLText.escape(part.color))\"/>"
                x += length
            }
            out +=
                "<text class=\"value\" x=\"\(n(x + 5))\" y=\"\(n(y + 16))\" fill=\"#111827\">\(HTMLText.count(bar.total))</text></g>"
        }
        out +=
            "<text x=\"\(n((left + right) / 2))\" y=\"\(n(plotBottom + 34))\" text-anchor=\"middle\" fill=\"#6b7280\">"
        return out + "\(HTMLText.escape(valueAxis))</text>"
    }

    // MARK: Columns

    private static let columnsHeight = 300.0

    private func columns() -> String {
        // Marker labels get a band of their own above the counts on the tallest bars.
        let markerBand = markers.isEmpty ? 0.0 : 18.0
        let left = 52.0
        let right = width - 16
        let plotTop = legendHeight + 22 + markerBand
        let plotBottom = Self.columnsHeight - 50
        let slot = (right - left) / Double(bars.count)
        let (step, top) = Self.ticks(maxTotal)
        let scale = (plotBottom - plotTop) / Double(top)
        let touching = layout == .histogram
        var out = axisTicks(step: step, top: top) { value in
            let y = plotBottom - Double(value) * scale
            return "<line x1=\"\(n(left))\" y1=\"\(n(y))\" x2=\"\(n(right))\" y2=\"\(n(y))\" stroke=\"#e5e7eb\"/>"
                + "<text x=\"\(n(left - 6))\" y=\"\(n(y + 4))\" text-anchor=\"end\" fill=\"#6b7280\">\(HTMLText.count(value))</text>"
        }
        // Labels at least 40 units apart: a histogram of weekly bins is labelled every other week.
        let longest = max(40, Double(bars.map(\.label.count).max() ?? 1) * Self.charWidth + 8)
        let every = max(1, Int((longest / slot).rounded(.up)))
        for (index, bar) in bars.enumerated() {
            let x = left + Double(index) * slot
            let barWidth = touching ? max(1, slot - 1) : min(slot * 0.7, 64)
            let barLeft = touching ? x : x + (slot - barWidth) / 2
            out += "<g>\(tooltip(bar))"
            var y = plotBottom
            for (value, part) in zip(bar.values, series) where value > 0 {
                let length = Double(value) * scale
                y -= length
                out +=
                    "<rect x=\"\(n(barLeft))\" y=\"\(n(y))\" width=\"\(n(barWidth))\" height=\"\(n(length))\" fill=\"\(HTMLText.escape(part.color))\"/>"
            }
            // A count only where it fits with room to spare: crowded counts read as one number.
            if bar.total > 0 && slot >= Double(HTMLText.count(bar.total).count) * Self.charWidth + 10 {
                out +=
                    "<text class=\"value\" x=\"\(n(barLeft + barWidth / 2))\" y=\"\(n(y - 4))\" text-anchor=\"middle\" "
                out += "fill=\"#111827\">\(HTMLText.count(bar.total))</text>"
            }
            if index % every == 0 {
                let labelX = touching ? x : x + slot / 2
                out += "<text x=\"\(n(labelX))\" y=\"\(n(plotBottom + 16))\" text-anchor=\"middle\" fill=\"#374151\">"
                out += "\(HTMLText.escape(bar.label))</text>"
            }
            out += "</g>"
        }
        out +=
            "<line x1=\"\(n(left))\" y1=\"\(n(plotBottom))\" x2=\"\(n(right))\" y2=\"\(n(plotBottom))\" stroke=\"#9ca3af\"/>"
        for marker in markers {
            let x = left + marker.position * slot
            guard x >= left && x <= right else { continue }
            out +=
                "<line class=\"marker\" x1=\"\(n(x))\" y1=\"\(n(plotTop - markerBand - 10))\" x2=\"\(n(x))\" y2=\"\(n(plotBottom))\" "
            out += "stroke=\"#b91c1c\" stroke-dasharray=\"4 3\"/>"
            let anchor = x > right - 140 ? "end" : "start"
            out +=
                "<text x=\"\(n(x))\" dx=\"\(anchor == "end" ? -4 : 4)\" y=\"\(n(plotTop - markerBand - 2))\" text-anchor=\"\(anchor)\" "
            out += "fill=\"#b91c1c\">\(HTMLText.escape(marker.label))</text>"
        }
        out += "<text x=\"16\" y=\"\(n((plotTop + plotBottom) / 2))\" text-anchor=\"middle\" fill=\"#6b7280\" "
        out += "transform=\"rotate(-90 16 \(n((plotTop + plotBottom) / 2)))\">\(HTMLText.escape(valueAxis))</text>"
        if let categoryAxis {
            out +=
                "<text x=\"\(n((left + right) / 2))\" y=\"\(n(plotBottom + 38))\" text-anchor=\"middle\" fill=\"#6b7280\">"
            out += "\(HTMLText.escape(categoryAxis))</text>"
        }
        return out
    }

    // MARK: Parts

    private func legend() -> String {
        guard series.count > 1 else { return "" }
        var out = ""
        var x = layout == .rows ? 8.0 : 52.0
        for part in series {
            out += "<rect x=\"\(n(x))\" y=\"6\" width=\"12\" height=\"12\" fill=\"\(HTMLText.escape(part.color))\"/>"
            out += "<text x=\"\(n(x + 16))\" y=\"16\" fill=\"#374151\">\(HTMLText.escape(part.name))</text>"
            x += 16 + Double(part.name.count) * Self.charWidth + 18
        }
        return out
    }

    /// A `<title>` child: SVG's own tooltip, which also keeps a truncated label whole.
    private func tooltip(_ bar: Bar) -> String {
        var text = "\(bar.label): \(HTMLText.count(bar.total)) \(valueAxis)"
        if series.count > 1 {
            text +=
                " (" + zip(series, bar.values).map { "\($0.name) \(HTMLText.count($1))" }.joined(separator: ", ") + ")"
        }
        return "<title>\(HTMLText.escape(text))</title>"
    }

    private func axisTicks(step: Int, top: Int, _ draw: (Int) -> String) -> String {
        stride(from: 0, through: top, by: step).map(draw).joined()
    }

    /// A step of 1, 2 or 5 times a power of ten giving at most five intervals, and the
    /// axis end it reaches: gridlines at round numbers.
    static func ticks(_ maximum: Int) -> (step: Int, top: Int) {
        var magnitude = 1
        while true {
            for multiple in [1, 2, 5] where maximum <= multiple * magnitude * 5 {
                let step = multiple * magnitude
                return (step, max(step, (maximum + step - 1) / step * step))
            }
            magnitude *= 10
        }
    }

    static func truncate(_ label: String, to characters: Int) -> String {
        label.count <= characters ? label : String(label.prefix(max(1, characters - 1))) + "…"
    }

    private func n(_ value: Double) -> String { Self.number(value) }

    /// A coordinate with at most one decimal, so the markup stays short; every chart's.
    static func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let whole = tenths.magnitude / 10
        let tenth = tenths.magnitude % 10
        return tenth == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(tenth)"
    }
}
