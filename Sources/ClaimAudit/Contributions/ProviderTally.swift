import ClaimModel

/// What one provider billed in the comparison window, counted so that the counts of
/// two partitions (or of a partition and the history store) add up to the counts of
/// both: `provider_outlier`'s partial aggregate.
public struct ProviderTally: Sendable, Equatable {
    /// Professional refills: 62369, 62370, 95990, 95991 lines.
    public var refills = 0
    /// The refills at the physician-skill level: 62370, 95991.
    public var skilledRefills = 0
    /// Paid amounts of the refills that carry one, by level, for the amount at risk.
    public var skilledPaid = Money.zero
    public var skilledPaidCount = 0
    public var plainPaid = Money.zero
    public var plainPaidCount = 0
    /// Refill visits (one patient, date and provider with a refill), and those of them
    /// with an E/M visit billed with modifier 25 by the same provider.
    public var refillVisits = 0
    public var visitsWithEM = 0
    /// Paid amounts of those E/M lines.
    public var evaluationPaid = Money.zero
    public var evaluationPaidCount = 0

    public init() {}

    public static func + (a: ProviderTally, b: ProviderTally) -> ProviderTally {
        var sum = a
        sum.refills += b.refills
        sum.skilledRefills += b.skilledRefills
        sum.skilledPaid += b.skilledPaid
        sum.skilledPaidCount += b.skilledPaidCount
        sum.plainPaid += b.plainPaid
        sum.plainPaidCount += b.plainPaidCount
        sum.refillVisits += b.refillVisits
        sum.visitsWithEM += b.visitsWithEM
        sum.evaluationPaid += b.evaluationPaid
        sum.evaluationPaidCount += b.evaluationPaidCount
        return sum
    }
}

/// Every provider's tally, by NPI (rendering, else billing).
public struct ProviderTallies: Sendable, Equatable {
    public var byProvider: [String: ProviderTally] = [:]
    /// The last day of the window counted (the run's latest date of service).
    public var windowEnd: ServiceDate?

    public init(byProvider: [String: ProviderTally] = [:], windowEnd: ServiceDate? = nil) {
        self.byProvider = byProvider
        self.windowEnd = windowEnd
    }

    /// Both as one: associative and commutative, as the engine's merge needs.
    public static func + (a: ProviderTallies, b: ProviderTallies) -> ProviderTallies {
        ProviderTallies(
            byProvider: a.byProvider.merging(b.byProvider, uniquingKeysWith: +),
            windowEnd: [a.windowEnd, b.windowEnd].compactMap { $0 }.max())
    }

    /// Counts the professional refills and refill visits of `patients` dated within
    /// `window`. Every line counts, this run's and history's alike: the window reaches
    /// back before the run, and reconciliation has already taken out duplicates and voids.
    mutating func count(
        _ patients: [PatientLines], window: ClosedRange<ServiceDate>, skilledCodes: Set<String>,
        evaluationModifier: String
    ) {
        for patient in patients {
            for day in patient.days {
                guard let date = day.first?.serviceDate, window.contains(date) else { continue }
                count(day, skilledCodes: skilledCodes, evaluationModifier: evaluationModifier)
            }
        }
    }

    /// One patient's lines of one date.
    private mutating func count(_ day: ArraySlice<ClaimLine>, skilledCodes: Set<String>, evaluationModifier: String) {
        var visits: Set<String> = []
        for line in day where line.claimType == .professional && ProviderOutlierRule.refillCodes.contains(line.code) {
            guard let provider = line.providerNPI else { continue }
            var tally = byProvider[provider] ?? ProviderTally()
            tally.refills += 1
            let skilled = skilledCodes.contains(line.code)
            if skilled { tally.skilledRefills += 1 }
            if let paid = line.paidAmount {
                if skilled {
                    tally.skilledPaid += paid
                    tally.skilledPaidCount += 1
                } else {
                    tally.plainPaid += paid
                    tally.plainPaidCount += 1
                }
            }
            byProvider[provider] = tally
            visits.insert(provider)
        }
        for provider in visits {
            byProvider[provider]!.refillVisits += 1
            // The visit's E/M lines with the modifier, by the refill's provider.
            let visitsLines = day.filter {
                $0.claimType == .professional && $0.family == .evaluationAndManagement && $0.providerNPI == provider
                    && $0.hasModifier(evaluationModifier)
            }
            guard !visitsLines.isEmpty else { continue }
            byProvider[provider]!.visitsWithEM += 1
            for line in visitsLines {
                if let paid = line.paidAmount {
                    byProvider[provider]!.evaluationPaid += paid
                    byProvider[provider]!.evaluationPaidCount += 1
                }
            }
        }
    }
}
