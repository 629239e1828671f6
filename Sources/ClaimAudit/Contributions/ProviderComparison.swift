import ClaimModel
import Foundation

/// Each provider's share of one kind of service against its peers, as a rule across
/// patients decided it: what summary.md tabulates and report.html draws as a funnel plot.
public struct ProviderComparison: Sendable, Equatable {
    /// One provider with at least one service of the kind counted.
    public struct Row: Sendable, Equatable {
        public var npi: String
        /// The volume (refills, refill visits) and how many of them are of the kind.
        public var volume: Int
        public var count: Int
        /// The pooled share of every other provider.
        public var peersShare: Double
        /// The one-sided exact binomial p-value; nil below the minimum volume or with no peers.
        public var pValue: Double?
        public var flagged: Bool
        public var amountAtRisk: Money

        public init(
            npi: String, volume: Int, count: Int, peersShare: Double, pValue: Double?, flagged: Bool,
            amountAtRisk: Money
        ) {
            self.npi = npi
            self.volume = volume
            self.count = count
            self.peersShare = peersShare
            self.pValue = pValue
            self.flagged = flagged
            self.amountAtRisk = amountAtRisk
        }

        public var share: Double { volume == 0 ? 0 : Double(count) / Double(volume) }
        /// Whether the provider had the volume to be compared.
        public var isCompared: Bool { pValue != nil }
    }

    /// Names the chart for tests and styles (`data-chart`).
    public var id: String
    /// What the volume counts ("refills") and what the share is of ("physician-skill refills").
    public var volumeName: String
    public var countName: String
    /// The share of every provider together: the funnel's centre line.
    public var pooledShare: Double
    public var minimumVolume: Int
    public var pValueThreshold: Double
    public var minimumRatio: Double
    /// Every provider with volume, by NPI.
    public var rows: [Row]

    public init(
        id: String, volumeName: String, countName: String, pooledShare: Double, minimumVolume: Int,
        pValueThreshold: Double, minimumRatio: Double, rows: [Row]
    ) {
        self.id = id
        self.volumeName = volumeName
        self.countName = countName
        self.pooledShare = pooledShare
        self.minimumVolume = minimumVolume
        self.pValueThreshold = pValueThreshold
        self.minimumRatio = minimumRatio
        self.rows = rows
    }

    /// The providers at or above the minimum volume, compared with their peers.
    public var compared: [Row] { rows.filter(\.isCompared) }

    /// `12.5%`: a share as the findings and every report write it.
    public static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }

    /// A p-value as the findings and every report write it: tiny ones in scientific
    /// notation, and 0 (below what a double holds) as `< 1e-300`.
    public static func pValue(_ p: Double) -> String {
        p == 0 ? "< 1e-300" : p < 0.0001 ? String(format: "%.2e", p) : String(format: "%.4f", p)
    }
}
