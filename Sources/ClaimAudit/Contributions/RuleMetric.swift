/// A figure a rule measures over the run, which the reports draw. Every kind merges
/// the measures of two partitions into the measure of both.
public enum RuleMetric: Sendable, Equatable {
    /// Values counted in bins, with lines at thresholds.
    case histogram(Histogram)
    /// Providers against their peers, decided once on the whole run: never merged.
    case providerComparison(ProviderComparison)

    /// The measure of both partitions. Both must be the same figure, from the same rule.
    public func merged(with other: RuleMetric) -> RuleMetric {
        switch (self, other) {
        case (.histogram(let a), .histogram(let b)): return .histogram(a.merged(with: b))
        default: preconditionFailure("only partition measures merge; a provider comparison is made once per run")
        }
    }
}

/// Whole-number values (days, say) counted in bins of equal width from 0, with markers
/// at thresholds. It keeps the count of every value, so that partitions add up in any
/// order.
public struct Histogram: Sendable, Equatable {
    /// A threshold drawn across the bins.
    public struct Marker: Sendable, Equatable {
        public var value: Int
        public var label: String

        public init(value: Int, label: String) {
            self.value = value
            self.label = label
        }
    }

    /// Names the chart for tests and styles (`data-chart`).
    public var id: String
    public var title: String
    /// What is counted ("services").
    public var counted: String
    /// What the values are ("days since the patient's previous service").
    public var axis: String
    /// The unit of a value, singular ("day"): bins are "7-day bins".
    public var unit: String
    public var binWidth: Int
    /// Values from here on share the last bin, so that a stray value keeps the bins readable.
    public var lastBinStart: Int
    public var markers: [Marker]
    /// Value -> how many times it was counted. Negative values are not counted.
    public private(set) var counts: [Int: Int] = [:]

    public init(
        id: String, title: String, counted: String, axis: String, unit: String, binWidth: Int, lastBinStart: Int,
        markers: [Marker]
    ) {
        self.id = id
        self.title = title
        self.counted = counted
        self.axis = axis
        self.unit = unit
        self.binWidth = binWidth
        self.lastBinStart = lastBinStart
        self.markers = markers
    }

    public mutating func count(_ value: Int) {
        guard value >= 0 else { return }
        counts[value, default: 0] += 1
    }

    /// How many values were counted.
    public var total: Int { counts.values.reduce(0, +) }

    func merged(with other: Histogram) -> Histogram {
        precondition(id == other.id, "histograms \(id) and \(other.id) do not merge")
        var merged = self
        merged.counts.merge(other.counts, uniquingKeysWith: +)
        return merged
    }
}
