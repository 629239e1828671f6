import ClaimModel

/// Pump services too close together, or a refill long overdue, per patient across
/// this run and the history of earlier runs.
public struct AbnormalIntervalRule: Rule {
    /// The rule's settings. Every threshold may differ by payer.
    public struct Settings: RuleSettings {
        /// A refill sooner than this many days after the previous refill is flagged.
        @Setting("min_refill_days", .wholeNumber(in: 0...3650), "refills closer than this are flagged", perPayer: true)
        public var minRefillDays = 14
        /// Any pump service sooner than this many days after the previous one is noted.
        @Setting(
            "min_visit_days", .wholeNumber(in: 0...3650), "pump services closer than this are noted (info)",
            perPayer: true)
        public var minVisitDays = 7
        /// A refill later than this many days after the previous refill is noted.
        @Setting(
            "max_refill_days", .wholeNumber(in: 1...3650), "refills further apart are noted (info)", perPayer: true)
        public var maxRefillDays = 180
        /// Drug code -> the most days its fill may stay in the pump (the drug's labeling).
        @Setting(
            "drug_max_refill_days", .mapping(.code, to: .wholeNumber(in: 1...3650)),
            "drug code -> most days its fill may stay in the pump (the drug's labeling)", perPayer: true)
        public var drugMaxRefillDays: [String: Int] = ["J2278": 84]
        /// Drugs titrated with frequent reprogramming visits: a reprogramming-only visit
        /// (62367, 62368) of a patient on one of them is never too soon.
        @Setting(
            "titration_drugs", .set(of: .code), "drugs whose reprogramming-only visits are never too soon",
            perPayer: true)
        public var titrationDrugs: Set<String> = ["J2278"]
        /// Implantation or replacement of a pump or reservoir: the first refill after one
        /// follows the new pump's schedule, so it is never too soon.
        @Setting(
            "new_pump_codes", .set(of: .code), "implant codes after which the first refill is never too soon",
            perPayer: true)
        public var newPumpCodes = CodeTable.codes(with: .implant)
        /// What stays in the reservoir when the low-reservoir alarm sounds.
        @Setting(
            "alarm_residual_ml", .number(in: 0...100), "volume left at the low-reservoir alarm", perPayer: true)
        public var alarmResidualML = 2.0
        /// A refill sooner than this share of the expected days to empty is flagged.
        @Setting(
            "expected_interval_fraction", .number(in: 0...1),
            "a refill sooner than this share of the expected days to empty is flagged", perPayer: true)
        public var expectedIntervalFraction = 0.5

        public init() {}
    }

    /// The services that include a refill: 62369 and 62370 (with the analysis), 95990
    /// and 95991 (refill and maintenance).
    static let servicesWithRefill = CodeTable.codes(with: .includesRefill)

    public static let description = RuleDescription(
        identifier: "abnormal_interval",
        name: "Abnormal interval between pump services",
        severity: .warning,
        rationale: """
            No Medicare rule sets how often a pump is refilled: reservoirs of 20 or 40 mL \
            are refilled every 6 weeks to 6 months, depending on the drug, dose and \
            concentration. Billing refills or analyses too close together without regard \
            to the expected interval draws payer review, and a refill past the drug's \
            stability is a patient-safety gap. Per patient, over this run and earlier runs' \
            history, ordered by date: a refill (62369, 62370, 95990, 95991) fewer than 14 \
            days after the previous refill is a warning, except the first refill after a \
            pump is implanted or replaced (62360-62362), which the ziconotide labeling \
            itself puts within 14 days. When the previous refill (else this one) carries \
            the reservoir and daily volumes, a refill sooner than half of (reservoir - 2 mL \
            alarm residual) / daily volume is a warning. A refill later than the drug filled \
            at the previous refill may stay in the pump is a warning: ziconotide (J2278) \
            must be replaced at least every 84 days undiluted (40 days diluted, which a \
            claim cannot tell apart) by its labeling. Any refill more than 180 days after \
            the last is noted. Any pump service fewer than 7 days after the previous one is \
            only noted (info), since reprogramming visits (62367, 62368) come two or three \
            times a week during titration, and it never fires for the reprogramming of a \
            patient on ziconotide. The drug of a refill is read from the pump drug lines of \
            that date, else the last known. Same-day lines are not intervals. The 14-, 7- \
            and 180-day thresholds are pumpaudit defaults drawn from typical refill \
            practice, not CMS policy; the drug limits come from the drugs' labeling; all \
            are settings.
            """,
        citation:
            "pumpaudit default (typical refill intervals; payer frequency review); "
            + "PRIALT (ziconotide intrathecal infusion) prescribing information, dosage and administration: "
            + "refill within 14 days of the initial fill, then at least every 40 days (diluted) or 84 days (undiluted)",
        triggeringExamples: [
            RuleExample(
                """
                ↓C2,1,P1,2026-10-06,62369,,1,11,,1111111112,,MD,,120.00
                """, severity: .warning,
                history: "C1,1,P1,2026-09-28,62369,,1,11,,1111111112,,MD,,120.00"),
            RuleExample(
                """
                C1,1,P1,2026-10-01,62367,,1,11,,1111111112,,MD,,70.00
                ↓C2,1,P1,2026-10-03,62368,,1,11,,1111111112,,MD,,90.00
                """, severity: .info),
            RuleExample(
                """
                C1,1,P1,2026-06-01,62369,,1,11,,1111111112,,MD,,120.00
                C1,2,P1,2026-06-01,J2278,JZ,100,11,,1111111112,,MD,,900.00
                ↓C2,1,P1,2026-09-01,62369,,1,11,,1111111112,,MD,,120.00
                """, severity: .warning),
            RuleExample(
                """
                C1,1,P1,2026-03-02,95990,,1,11,,1111111112,,MD,,80.00
                ↓C2,1,P1,2026-10-12,95990,,1,11,,1111111112,,MD,,80.00
                """, severity: .info),
            RuleExample(
                """
                C1,1,P1,2026-09-01,62369,,1,11,,1111111112,,MD,,120.00,40,0.5
                ↓C2,1,P1,2026-09-21,62369,,1,11,,1111111112,,MD,,120.00,40,0.5
                """, severity: .warning, header: RuleExample.standardHeader + ",reservoir_volume_ml,daily_volume_ml"),
        ],
        nonTriggeringExamples: [
            RuleExample(
                """
                C1,1,P1,2026-10-01,62369,,1,11,,1111111112,,MD,,120.00
                C1,2,P1,2026-10-01,J2278,JZ,100,11,,1111111112,,MD,,900.00
                C2,1,P1,2026-10-03,62368,,1,11,,1111111112,,MD,,90.00
                C3,1,P1,2026-10-06,62368,,1,11,,1111111112,,MD,,90.00
                C4,1,P1,2026-11-20,62369,,1,11,,1111111112,,MD,,120.00
                """),
            RuleExample(
                """
                C1,1,P1,2026-09-20,62369,,1,11,,1111111112,,MD,,120.00
                C2,1,P1,2026-09-25,62362,,1,22,,1111111112,,MD,,900.00
                C3,1,P1,2026-10-01,62369,,1,11,,1111111112,,MD,,120.00
                C3,2,P1,2026-10-01,J2278,JZ,100,11,,1111111112,,MD,,900.00
                """),
            RuleExample(
                """
                C1,1,P1,2026-08-10,62369,,1,11,,1111111112,,MD,,120.00
                C2,1,P1,2026-10-05,62369,,1,11,,1111111112,,MD,,120.00
                C2,2,P1,2026-10-05,J0475,JZ,2,11,,1111111112,,MD,,500.00
                C3,1,P1,2026-10-05,95990,,1,11,,1111111112,,MD,,80.00
                """),
            RuleExample(
                """
                C1,1,P1,2026-10-01,62369,,1,11,,1111111112,,MD,,120.00
                C2,1,P1,2026-10-10,62367,,1,11,,1111111112,,MD,,70.00
                C3,1,P2,2026-10-03,62369,,1,11,,1111111112,,MD,,120.00
                """),
            RuleExample(
                """
                C1,1,P1,2026-09-01,62369,,1,11,,1111111112,,MD,,120.00,20,0.5
                C2,1,P1,2026-09-21,62369,,1,11,,1111111112,,MD,,120.00,20,0.5
                """, header: RuleExample.standardHeader + ",reservoir_volume_ml,daily_volume_ml"),
        ]
    )

    private let settings: PayerSettings<Settings>

    public init(configuration: AuditConfiguration) {
        settings = configuration.payerSettings(of: Self.self)
    }

    /// What the rule knows of a patient's pump at a given date, walking forward.
    private struct PumpState {
        var previousService: ClaimLine?
        var previousRefill: ClaimLine?
        /// The drugs filled at the previous refill (else the last known).
        var drugsAtPreviousRefill: Set<String> = []
        /// The pump drugs last billed: what the pump holds now.
        var currentDrugs: Set<String> = []
        /// The last date a pump was implanted or replaced.
        var lastImplant: ServiceDate?
    }

    public func check(_ context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for patient in context.patients {
            var state = PumpState()
            for day in patient.days {
                if day.contains(where: { $0.family == .pumpDrug }) {
                    state.currentDrugs = Set(day.lazy.filter { $0.family == .pumpDrug }.map(\.code))
                }
                if day.contains(where: { settings[$0.payer].newPumpCodes.contains($0.code) }) {
                    state.lastImplant = day.first?.serviceDate
                }
                let services = day.filter { $0.family.isPumpService }
                guard !services.isEmpty else { continue }
                for line in services {
                    // The payer's settings are read in place, as an argument.
                    findings += check(line, state, settings[line.payer])
                }
                state.previousService = services.last
                if let refill = services.last(where: { Self.servicesWithRefill.contains($0.code) }) {
                    state.previousRefill = refill
                    state.drugsAtPreviousRefill = state.currentDrugs
                }
            }
        }
        return findings
    }

    private func check(_ line: ClaimLine, _ state: PumpState, _ settings: Settings) -> [Finding] {
        if Self.servicesWithRefill.contains(line.code), let previous = state.previousRefill {
            let days = line.serviceDate.days(since: previous.serviceDate)
            // The first refill of a new pump follows the new pump's schedule.
            let firstOfNewPump = state.lastImplant.map { $0 > previous.serviceDate } ?? false
            if days < settings.minRefillDays && !firstOfNewPump {
                return [
                    Finding(
                        Self.self, .warning, on: line, .refillTooSoon(line, previous, days, settings.minRefillDays),
                        related: previous)
                ]
            }
            if !firstOfNewPump, let (drug, limit) = drugLimit(state.drugsAtPreviousRefill, settings), days > limit {
                return [
                    Finding(
                        Self.self, .warning, on: line, .pastDrugLimit(previous, days, drug, limit), related: previous)
                ]
            }
            if days > settings.maxRefillDays {
                return [
                    Finding(
                        Self.self, .info, on: line, .refillOverdue(previous, days, settings.maxRefillDays),
                        related: previous)
                ]
            }
            if !firstOfNewPump, let expected = expectedDaysToEmpty(previous, line, settings),
                Double(days) < expected * settings.expectedIntervalFraction
            {
                return [
                    Finding(
                        Self.self, .warning, on: line, .soonerThanExpected(previous, days, expected),
                        related: previous)
                ]
            }
        }
        if let previous = state.previousService {
            let days = line.serviceDate.days(since: previous.serviceDate)
            let titrating =
                CodeTable.analysesWithoutRefill.contains(line.code)
                && !state.currentDrugs.isDisjoint(with: settings.titrationDrugs)
            if days < settings.minVisitDays && !titrating {
                return [
                    Finding(
                        Self.self, .info, on: line, .visitTooSoon(line, previous, days, settings.minVisitDays),
                        related: previous)
                ]
            }
        }
        return []
    }

    /// The strictest limit among the drugs filled at the previous refill.
    private func drugLimit(_ drugs: Set<String>, _ settings: Settings) -> (String, Int)? {
        drugs.compactMap { drug in settings.drugMaxRefillDays[drug].map { (drug, $0) } }
            .min { ($0.1, $0.0) < ($1.1, $1.0) }
    }

    /// (reservoir - alarm residual) / daily volume, from the previous refill's volumes,
    /// else this one's.
    private func expectedDaysToEmpty(_ previous: ClaimLine, _ line: ClaimLine, _ settings: Settings) -> Double? {
        for source in [previous, line] {
            if let reservoir = source.reservoirVolumeML, let daily = source.dailyVolumeML, daily > 0,
                reservoir > settings.alarmResidualML
            {
                return (reservoir - settings.alarmResidualML) / daily
            }
        }
        return nil
    }
}

extension AbnormalIntervalRule: MeasuringRule {
    /// Days from each reportable refill of the run back to the patient's previous refill
    /// on another date, history included: the refill-interval histogram, with the run's
    /// thresholds marked.
    public func measure(_ context: AuditContext, isReportable: (ClaimLine) -> Bool) -> [RuleMetric] {
        let thresholds = settings.run
        var intervals = Histogram(
            id: "refill-intervals", title: "Days between consecutive refills", counted: "refills",
            axis: "days since the patient's previous refill", unit: "day",
            // Refills are planned in weeks; past a year, intervals share the last bin.
            binWidth: 7, lastBinStart: 364,
            markers: [
                Histogram.Marker(value: thresholds.minRefillDays, label: "\(thresholds.minRefillDays) d: too soon"),
                Histogram.Marker(value: thresholds.maxRefillDays, label: "\(thresholds.maxRefillDays) d: overdue"),
            ])
        for patient in context.patients {
            var previous: ServiceDate?
            for day in patient.days {
                guard let refill = day.first(where: { Self.servicesWithRefill.contains($0.code) }) else { continue }
                if let previous,
                    day.contains(where: {
                        !$0.fromHistory && isReportable($0) && Self.servicesWithRefill.contains($0.code)
                    })
                {
                    intervals.count(refill.serviceDate.days(since: previous))
                }
                previous = refill.serviceDate
            }
        }
        return [.histogram(intervals)]
    }

    public func sections(_ metrics: [RuleMetric]) -> [RuleSection] {
        guard case .histogram(let intervals)? = metrics.first else { return [] }
        let thresholds = settings.run
        return [
            RuleSection(
                id: "intervals", title: "Refill intervals",
                note: [
                    .text("Days between each patient's consecutive refills ("), .count(intervals.total),
                    .text(
                        " intervals, earlier refills from the history store included). \(Self.description.identifier) "
                            + "flags refills under \(thresholds.minRefillDays) days apart and notes those over "
                            + "\(thresholds.maxRefillDays); thresholds may differ by payer."),
                ], metric: .histogram(intervals))
        ]
    }
}

extension Finding.Message {
    fileprivate static func refillTooSoon(_ line: ClaimLine, _ previous: ClaimLine, _ days: Int, _ minimum: Int) -> Self
    {
        Self(
            "refill \(dayCount(days)) after the previous refill, \(previous.citationName) on \(previous.serviceDate); "
                + "refills closer than \(minimum) days need review")
    }

    fileprivate static func visitTooSoon(_ line: ClaimLine, _ previous: ClaimLine, _ days: Int, _ minimum: Int) -> Self
    {
        Self(
            "\(line.code) \(dayCount(days)) after the previous pump service, \(previous.citationName) on \(previous.serviceDate); "
                + "services closer than \(minimum) days need review")
    }

    fileprivate static func refillOverdue(_ previous: ClaimLine, _ days: Int, _ maximum: Int) -> Self {
        Self(
            "refill \(dayCount(days)) after the previous refill, \(previous.citationName) on \(previous.serviceDate): "
                + "more than \(maximum) days, past most drugs' stability in the pump; a missed refill is a safety signal"
        )
    }

    fileprivate static func pastDrugLimit(_ previous: ClaimLine, _ days: Int, _ drug: String, _ limit: Int) -> Self {
        let name = CodeTable.entry(for: drug).map { "\(drug), \($0.descriptor)" } ?? drug
        return Self(
            "refill \(dayCount(days)) after the previous refill, \(previous.citationName) on \(previous.serviceDate), "
                + "which filled \(name): its labeling has the pump refilled within \(limit) days")
    }

    fileprivate static func soonerThanExpected(_ previous: ClaimLine, _ days: Int, _ expected: Double) -> Self {
        let expectedDays = Int(expected.rounded())
        return Self(
            "refill \(dayCount(days)) after the previous refill, \(previous.citationName) on \(previous.serviceDate), "
                + "less than half of the about \(expectedDays) days the reservoir and daily volume lead one to expect")
    }
}

/// "1 day", "8 days".
private func dayCount(_ days: Int) -> String {
    days == 1 ? "1 day" : "\(days) days"
}
