import ClaimAudit
import ClaimModel
import Testing

@testable import AuditReport

/// The funnel plot's markup: a dot per provider, flagged ones highlighted, limits that
/// narrow with volume, and NPIs from the input escaped.
@Suite struct SVGFunnelPlotTests {
    static func comparison(_ rows: [ProviderComparison.Row]) -> ProviderComparison {
        ProviderComparison(
            id: "provider-outlier-skill", volumeName: "refills", countName: "physician-skill refills",
            pooledShare: 0.2, minimumVolume: 20, pValueThreshold: 0.001, minimumRatio: 1.5, rows: rows)
    }

    static let rows = [
        ProviderComparison.Row(
            npi: "1700001013", volume: 40, count: 6, peersShare: 0.21, pValue: 0.71, flagged: false,
            amountAtRisk: .zero),
        ProviderComparison.Row(
            npi: "<b>&\"npi", volume: 30, count: 29, peersShare: 0.18, pValue: 5e-20, flagged: true,
            amountAtRisk: Money(cents: 104_837)),
        ProviderComparison.Row(
            npi: "1555555550", volume: 8, count: 8, peersShare: 0.2, pValue: nil, flagged: false, amountAtRisk: .zero),
    ]

    @Test func everyProviderIsADotAndTheFlaggedOneIsHighlighted() {
        let svg = SVGFunnelPlot(comparison: Self.comparison(Self.rows)).svg()
        #expect(svg.components(separatedBy: "<circle class=\"provider").count - 1 == 3)
        #expect(svg.components(separatedBy: "<circle class=\"provider flagged\"").count - 1 == 1)
        #expect(svg.contains("data-npi=\"&lt;b&gt;&amp;&quot;npi\""))
        #expect(!svg.contains("<b>"))
        #expect(svg.contains("NPI &lt;b&gt;&amp;&quot;npi: 29 of 30 refills are physician-skill refills (96.7%)"))
        #expect(svg.contains("below the minimum of 20, not tested"))
        #expect(svg.components(separatedBy: "<polyline class=\"limit\"").count - 1 == 4)
        #expect(svg.contains("class=\"pooled\""))
    }

    @Test func theLimitsNarrowAsVolumeGrows() {
        // Upper 99.8% limit at a small and a large volume: the large one is nearer the pooled share.
        let small = BinomialTest.upperLimit(trials: 10, probability: 0.2, tail: 0.001)
        let large = BinomialTest.upperLimit(trials: 1000, probability: 0.2, tail: 0.001)
        #expect(small > large && large > 0.2)
        #expect(SVGFunnelPlot.samples(upTo: 500).first == 1 && SVGFunnelPlot.samples(upTo: 500).last == 500)
    }

    @Test func noProvidersIsNoData() {
        #expect(SVGFunnelPlot(comparison: Self.comparison([])).svg().contains("no data"))
    }
}
