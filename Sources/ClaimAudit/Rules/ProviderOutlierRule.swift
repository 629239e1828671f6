import ClaimModel
import Foundation

/// A provider who bills the physician-skill refill level (62370, 95991), or an E/M
/// visit with modifier 25 on refill days, far more often than its peers: upcoding that
/// no single claim shows, in the manner of CMS Comparative Billing Reports.
///
/// pumpaudit's first rule across patients. Each patient partition contributes every
/// provider's counts (`ProviderTallies`), the history store those of patients the run
/// does not hold, and the rule decides once, on the merged totals.
public struct ProviderOutlierRule: CrossPatientRule {
    /// The rule's settings. None may differ by payer: a provider is compared across
    /// every payer's claims at once.
    public struct Settings: RuleSettings {
        @Setting("window_months", .wholeNumber(in: 1...18), "months compared, ending at the run's latest date")
        public var windowMonths = 12
        @Setting(
            "min_refills", .wholeNumber(in: 1...1_000_000), "refills (refill visits) a provider needs to be compared")
        public var minimumRefills = 20
        @Setting("p_value", .number(in: 0...1), "a provider is flagged below this one-sided exact binomial p-value")
        public var pValue = 0.001
        @Setting("min_ratio", .number(in: 1...1000), "and only with at least this multiple of its peers' share")
        public var minimumRatio = 1.5
        @Setting("skill_codes", .set(of: .code), "the refill codes of the physician-skill level")
        public var skillCodes: Set<String> = ["62370", "95991"]
        @Setting("em_modifier", .code, "the modifier of an E/M visit billed beside a refill")
        public var evaluationModifier = "25"

        public init() {}
    }

    /// Professional refills: the refill codes with and without reprogramming.
    static let refillCodes: Set<String> = ["62369", "62370", "95990", "95991"]

    /// The measures compared, as findings and the reports name them.
    public enum Measure: String, CaseIterable, Sendable {
        case physicianSkillShare = "physician_skill_share"
        case evaluationShare = "em25_share"
    }

    public static let description = RuleDescription(
        identifier: "provider_outlier",
        name: "Provider bills the physician-skill refill level or E/M+25 far above its peers",
        severity: .warning,
        rationale: """
            One claim cannot show upcoding; a provider's refills over months, set against \
            its peers, can (the method of CMS Comparative Billing Reports). Over the \
            `window_months` (12) ending at the latest date of service in the run, counting \
            this run's lines and the history store's, the rule counts each provider's \
            (rendering NPI, else billing NPI) professional refills (62369, 62370, 95990, \
            95991) and those at the physician-skill level (62370, 95991). A provider with \
            at least `min_refills` (20) is compared with the pooled share of every other \
            provider (p0 = their skilled refills / their refills) by a one-sided exact \
            binomial test, P(X >= k) for X ~ Binomial(n, p0), summed in log space. A \
            warning when p < `p_value` (0.001) and the provider's share is at least \
            `min_ratio` (1.5) times p0. The same test runs on the share of a provider's \
            refill visits (patient, date, provider) that also bill an E/M (99202-99215) \
            with modifier 25. The finding is about the provider, on no claim or line. \
            Amount at risk: the skilled refills above what p0 predicts (k - n x p0) times \
            the provider's mean paid 62370/95991 less its mean paid 62369/95990; zero, and \
            said so, when either level has no paid amount or the difference is not \
            positive. For E/M+25: the visits above p0 times the provider's mean paid E/M \
            on those visits. These are pumpaudit defaults, not CMS thresholds: a pattern \
            for review, never an error. The rule reads no reference file; with `--period` \
            the window still ends at the run's latest date.
            """,
        citation:
            "pumpaudit default (peer comparison after CMS Comparative Billing Reports; "
            + "one-sided exact binomial test); CPT 62370/95991 physician/QHP skill",
        triggeringExamples: [
            RuleExample(
                examplePanel(flaggedSkilled: 19, flaggedRefills: 20), severity: .warning,
                flaggedProviders: ["1999999992"])
        ],
        nonTriggeringExamples: [
            // Every refill at the skill level, but below the minimum volume.
            RuleExample(examplePanel(flaggedSkilled: 19, flaggedRefills: 19)),
            // At the volume, and at the peers' share.
            RuleExample(examplePanel(flaggedSkilled: 3, flaggedRefills: 20)),
        ]
    )

    /// Rows of a panel: provider 1999999992 with `flaggedRefills` refills, `flaggedSkilled`
    /// of them 95991; a peer, 1888888884, with 40 refills, 6 of them 95991 (15%).
    static func examplePanel(flaggedSkilled: Int, flaggedRefills: Int) -> String {
        func row(_ i: Int, _ npi: String, _ code: String, _ paid: String) -> String {
            let day = 1 + i % 28
            return "C\(npi.suffix(1))\(i),1,P\(npi.suffix(1))\(i),2026-10-\(day < 10 ? "0" : "")\(day),\(code),,1,11,,"
                + "\(npi),\(npi),MD,ultrasound-guided access of a deep pump,\(paid)"
        }
        let flagged = (0..<flaggedRefills).map {
            row($0, "1999999992", $0 < flaggedSkilled ? "95991" : "95990", $0 < flaggedSkilled ? "160.00" : "110.00")
        }
        let peers = (0..<40).map { row($0, "1888888884", $0 < 6 ? "95991" : "95990", $0 < 6 ? "150.00" : "105.00") }
        return (flagged + peers).joined(separator: "\n")
    }

    private let settings: Settings
    /// Where the window ends: the run's latest date of service, when the run knows it.
    private let runEnd: ServiceDate?

    public init(configuration: AuditConfiguration) {
        settings = configuration[settingsOf: Self.self]
        runEnd = configuration.latestServiceDate
    }

    /// The window, when the run's end is known: stored refills of patients outside the
    /// run count as much as the partitions' own.
    public var historyWindow: ClosedRange<ServiceDate>? { runEnd.map(window(endingAt:)) }

    /// Nothing within a partition: every finding is about a provider, across patients.
    public func check(_ context: AuditContext) -> [Finding] { [] }

    /// The window's first and last days: `window_months` calendar months back from the
    /// end, the day after the same day of month (a year ending 2026-12-31 starts 2026-01-01).
    func window(endingAt end: ServiceDate) -> ClosedRange<ServiceDate> {
        let (year, month, day) = end.components
        let months = year * 12 + (month - 1) - settings.windowMonths
        let startYear = months / 12
        let startMonth = months % 12 + 1
        let startDay = min(day, ServiceDate.daysIn(month: startMonth, year: startYear))
        let start = ServiceDate(year: startYear, month: startMonth, day: startDay)!.adding(days: 1)
        return start...end
    }

    public func partial(_ context: AuditContext, isReportable: (ClaimLine) -> Bool) -> ProviderTallies {
        // Without the run's end (an engine run on lines alone), the context's latest line.
        let end =
            runEnd
            ?? context.patients.lazy.flatMap(\.lines).filter { !$0.fromHistory }.map(\.serviceDate).max()
        var tallies = ProviderTallies()
        guard let end else { return tallies }
        tallies.count(
            context.patients, window: window(endingAt: end), skilledCodes: settings.skillCodes,
            evaluationModifier: settings.evaluationModifier)
        tallies.windowEnd = end
        return tallies
    }

    public static func merge(_ a: ProviderTallies, _ b: ProviderTallies) -> ProviderTallies { a + b }

    public func findings(from merged: ProviderTallies) -> [Finding] {
        comparisons(merged).flatMap { measure, comparison in
            comparison.rows.filter(\.flagged).map { row in
                Finding(
                    Self.self, .warning,
                    about: ProviderSubject(npi: row.npi, measure: measure.rawValue, amountAtRisk: row.amountAtRisk),
                    .outlier(measure, row, merged, settings: settings))
            }
        }
    }

    public func sections(from merged: ProviderTallies) -> [RuleSection] {
        comparisons(merged).map { measure, comparison in
            RuleSection(
                id: comparison.id,
                title: measure == .physicianSkillShare
                    ? "Providers compared with their peers: physician-skill refills"
                    : "Providers compared with their peers: E/M with modifier 25 on refill visits",
                note: Self.note(measure, comparison, merged), metric: .providerComparison(comparison))
        }
    }

    /// Both measures, each provider tested against the pooled share of all the others.
    func comparisons(_ merged: ProviderTallies) -> [(Measure, ProviderComparison)] {
        Measure.allCases.map { measure in
            let counts = merged.byProvider.map { npi, tally in
                (
                    npi: npi, tally: tally,
                    volume: measure == .physicianSkillShare ? tally.refills : tally.refillVisits,
                    count: measure == .physicianSkillShare ? tally.skilledRefills : tally.visitsWithEM
                )
            }.filter { $0.volume > 0 }.sorted { $0.npi < $1.npi }
            let totalVolume = counts.reduce(0) { $0 + $1.volume }
            let totalCount = counts.reduce(0) { $0 + $1.count }
            let rows = counts.map { entry -> ProviderComparison.Row in
                let peersVolume = totalVolume - entry.volume
                let peersShare = peersVolume == 0 ? 0 : Double(totalCount - entry.count) / Double(peersVolume)
                guard entry.volume >= settings.minimumRefills, peersVolume > 0 else {
                    return ProviderComparison.Row(
                        npi: entry.npi, volume: entry.volume, count: entry.count, peersShare: peersShare, pValue: nil,
                        flagged: false, amountAtRisk: .zero)
                }
                let p = BinomialTest.upperTail(successes: entry.count, trials: entry.volume, probability: peersShare)
                let share = Double(entry.count) / Double(entry.volume)
                let flagged = p < settings.pValue && share >= settings.minimumRatio * peersShare && share > peersShare
                return ProviderComparison.Row(
                    npi: entry.npi, volume: entry.volume, count: entry.count, peersShare: peersShare, pValue: p,
                    flagged: flagged,
                    amountAtRisk: flagged
                        ? AmountAtRisk(measure, entry.tally, peersShare: peersShare).amount : .zero)
            }
            return (
                measure,
                ProviderComparison(
                    id: "provider-outlier-\(measure == .physicianSkillShare ? "skill" : "em25")",
                    volumeName: measure == .physicianSkillShare ? "refills" : "refill visits",
                    countName: measure == .physicianSkillShare ? "physician-skill refills" : "visits with E/M+25",
                    pooledShare: totalVolume == 0 ? 0 : Double(totalCount) / Double(totalVolume),
                    minimumVolume: settings.minimumRefills, pValueThreshold: settings.pValue,
                    minimumRatio: settings.minimumRatio, rows: rows)
            )
        }
    }

    private static func note(_ measure: Measure, _ comparison: ProviderComparison, _ merged: ProviderTallies)
        -> [RuleSection.NotePart]
    {
        let window = merged.windowEnd.map { " in the window ending \($0)" } ?? ""
        return [
            .count(comparison.rows.count),
            .text(" provider(s) with \(comparison.volumeName)\(window); "),
            .count(comparison.compared.count),
            .text(
                " with at least \(comparison.minimumVolume) compared with the pooled share of all other providers "
                    + "(one-sided exact binomial test); flagged when p < \(comparison.pValueThreshold) and the share is "
                    + "at least \(comparison.minimumRatio) times the peers'. pumpaudit defaults, not CMS thresholds."),
        ]
    }
}

/// What a flagged provider's excess costs the payer, by the rule's documented method.
struct AmountAtRisk {
    /// The services above what the peers' share predicts.
    let excess: Double
    /// The price of each: nil when the paid amounts cannot tell it.
    let unitPrice: Money?

    init(_ measure: ProviderOutlierRule.Measure, _ tally: ProviderTally, peersShare: Double) {
        switch measure {
        case .physicianSkillShare:
            excess = max(0, Double(tally.skilledRefills) - Double(tally.refills) * peersShare)
            if tally.skilledPaidCount > 0, tally.plainPaidCount > 0 {
                let difference =
                    tally.skilledPaid.cents / Int64(tally.skilledPaidCount) - tally.plainPaid.cents
                    / Int64(tally.plainPaidCount)
                unitPrice = difference > 0 ? Money(cents: difference) : nil
            } else {
                unitPrice = nil
            }
        case .evaluationShare:
            excess = max(0, Double(tally.visitsWithEM) - Double(tally.refillVisits) * peersShare)
            unitPrice =
                tally.evaluationPaidCount > 0
                ? Money(cents: tally.evaluationPaid.cents / Int64(tally.evaluationPaidCount)) : nil
        }
    }

    var amount: Money {
        guard let unitPrice else { return .zero }
        return Money(cents: Int64((excess * Double(unitPrice.cents)).rounded()))
    }
}

extension Finding.Message {
    fileprivate static func outlier(
        _ measure: ProviderOutlierRule.Measure, _ row: ProviderComparison.Row, _ merged: ProviderTallies,
        settings: ProviderOutlierRule.Settings
    ) -> Self {
        let tally = merged.byProvider[row.npi] ?? ProviderTally()
        let what =
            measure == .physicianSkillShare
            ? "billed the physician-skill level (\(settings.skillCodes.sorted().joined(separator: ", "))) on "
                + "\(row.count) of \(row.volume) professional refills"
            : "billed an E/M with modifier \(settings.evaluationModifier) on \(row.count) of \(row.volume) refill visits"
        let window = merged.windowEnd.map { " in the \(settings.windowMonths) months to \($0)" } ?? ""
        let risk = AmountAtRisk(measure, tally, peersShare: row.peersShare)
        let price: String
        if let unit = risk.unitPrice {
            let basis =
                measure == .physicianSkillShare
                ? "its mean paid skilled refill less its mean paid plain refill"
                : "its mean paid E/M on those visits"
            price =
                "amount at risk \(risk.amount): \(format(risk.excess, 1)) above the peers' share x \(unit) (\(basis))"
        } else {
            price =
                measure == .physicianSkillShare
                ? "amount at risk not estimated: no paid amount for both levels, or the skilled level is not paid more"
                : "amount at risk not estimated: no paid amount on those E/M lines"
        }
        return Self(
            "Provider \(row.npi) \(what) (\(ProviderComparison.percent(row.share)))\(window); its peers' share \(ProviderComparison.percent(row.peersShare)). "
                + "One-sided exact binomial p = \(ProviderComparison.pValue(row.pValue ?? 1)) (threshold \(settings.pValue)), "
                + "\(format(row.peersShare > 0 ? row.share / row.peersShare : .infinity, 1)) times the peers' share; "
                + "\(price). A pattern for review, not proof of upcoding")
    }

    private static func format(_ value: Double, _ digits: Int) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "infinite"
    }
}
