import ClaimModel

/// Pump services too close together, or a refill long overdue, per patient across
/// this run and the history of earlier runs.
public struct AbnormalIntervalRule: Rule {
    /// The rule's settings. Every threshold may differ by payer.
    public struct Settings: Sendable, Equatable {
        /// A refill sooner than this many days after the previous refill is flagged.
        public var minRefillDays = 14
        /// Any pump service sooner than this many days after the previous one is flagged.
        public var minVisitDays = 7
        /// A refill later than this many days after the previous refill is noted.
        public var maxRefillDays = 180
        /// What stays in the reservoir when the low-reservoir alarm sounds.
        public var alarmResidualML = 2.0
        /// A refill sooner than this share of the expected days to empty is flagged.
        public var expectedIntervalFraction = 0.5

        public init() {}
    }

    /// The refill services: 62369 and 62370 include a refill; 95990 and 95991 are refills.
    static let refillCodes: Set<String> = ["62369", "62370", "95990", "95991"]

    public static let description = RuleDescription(
        identifier: "abnormal_interval",
        name: "Abnormal interval between pump services",
        severity: .warning,
        rationale: """
            Reservoirs of 20 or 40 mL are refilled every 6 weeks to 6 months, depending on \
            dose and concentration; billing refills or analyses too close together without \
            regard to the expected interval draws payer review, and a refill long after the \
            last is a patient-safety gap. Per patient, over this run and earlier runs' \
            history, ordered by date: a refill (62369, 62370, 95990, 95991) fewer than 14 days \
            after the previous refill on another date is a warning; any pump service fewer \
            than 7 days after the previous one is a warning (unless the refill check fired); \
            a refill more than 180 days after the previous one is noted. When the previous \
            refill (else this one) carries the reservoir and daily volumes, a refill sooner \
            than half of (reservoir - 2 mL alarm residual) / daily volume is a warning. \
            Same-day lines are not intervals. The thresholds are pumpaudit defaults drawn \
            from typical refill practice, not CMS policy, and are settings.
            """,
        citation: "pumpaudit default (typical refill intervals; payer frequency review)",
        settings: [
            SettingDescription(
                key: "min_refill_days", defaultValue: "14", meaning: "refills closer than this are flagged"),
            SettingDescription(
                key: "min_visit_days", defaultValue: "7", meaning: "pump services closer than this are flagged"),
            SettingDescription(
                key: "max_refill_days", defaultValue: "180", meaning: "refills further apart are noted (info)"),
            SettingDescription(
                key: "alarm_residual_ml", defaultValue: "2", meaning: "volume left at the low-reservoir alarm"),
            SettingDescription(
                key: "expected_interval_fraction", defaultValue: "0.5",
                meaning: "a refill sooner than this share of the expected days to empty is flagged"),
        ],
        triggeringExamples: [
            RuleExample(
                """
                ↓C2,1,P1,2026-10-06,62369,,1,11,,1111111111,,MD,,120.00
                """, severity: .warning,
                history: "C1,1,P1,2026-09-28,62369,,1,11,,1111111111,,MD,,120.00"),
            RuleExample(
                """
                C1,1,P1,2026-10-01,62367,,1,11,,1111111111,,MD,,70.00
                ↓C2,1,P1,2026-10-03,62368,,1,11,,1111111111,,MD,,90.00
                """, severity: .warning),
            RuleExample(
                """
                C1,1,P1,2026-03-02,95990,,1,11,,1111111111,,MD,,80.00
                ↓C2,1,P1,2026-10-12,95990,,1,11,,1111111111,,MD,,80.00
                """, severity: .info),
            RuleExample(
                """
                C1,1,P1,2026-09-01,62369,,1,11,,1111111111,,MD,,120.00,40,0.5
                ↓C2,1,P1,2026-09-21,62369,,1,11,,1111111111,,MD,,120.00,40,0.5
                """, severity: .warning, header: RuleExample.standardHeader + ",reservoir_volume_ml,daily_volume_ml"),
        ],
        nonTriggeringExamples: [
            RuleExample(
                """
                C1,1,P1,2026-08-10,62369,,1,11,,1111111111,,MD,,120.00
                C2,1,P1,2026-10-05,62369,,1,11,,1111111111,,MD,,120.00
                C2,2,P1,2026-10-05,J0475,JZ,2,11,,1111111111,,MD,,500.00
                C3,1,P1,2026-10-05,95990,,1,11,,1111111111,,MD,,80.00
                """),
            RuleExample(
                """
                C1,1,P1,2026-10-01,62369,,1,11,,1111111111,,MD,,120.00
                C2,1,P1,2026-10-10,62367,,1,11,,1111111111,,MD,,70.00
                C3,1,P2,2026-10-03,62369,,1,11,,1111111111,,MD,,120.00
                """),
            RuleExample(
                """
                C1,1,P1,2026-09-01,62369,,1,11,,1111111111,,MD,,120.00,20,0.5
                C2,1,P1,2026-09-21,62369,,1,11,,1111111111,,MD,,120.00,20,0.5
                """, header: RuleExample.standardHeader + ",reservoir_volume_ml,daily_volume_ml"),
        ]
    )

    private let settings: Settings
    private let settingsByPayer: [String: Settings]

    public init(configuration: AuditConfiguration) {
        settings = configuration.abnormalInterval
        settingsByPayer = configuration.abnormalIntervalByPayer
    }

    public func check(_ context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for patient in context.patients {
            var previousService: ClaimLine?
            var previousRefill: ClaimLine?
            for day in patient.days {
                let services = day.filter { $0.family.isPumpService }
                guard !services.isEmpty else { continue }
                for line in services {
                    findings += check(line, previousService: previousService, previousRefill: previousRefill)
                }
                previousService = services.last
                previousRefill = services.last { Self.refillCodes.contains($0.code) } ?? previousRefill
            }
        }
        return findings
    }

    private func check(_ line: ClaimLine, previousService: ClaimLine?, previousRefill: ClaimLine?) -> [Finding] {
        let settings = line.payer.flatMap { settingsByPayer[$0] } ?? self.settings
        if Self.refillCodes.contains(line.code), let previous = previousRefill {
            let days = line.serviceDate.days(since: previous.serviceDate)
            if days < settings.minRefillDays {
                return [
                    Finding(
                        Self.self, .warning, on: line, .refillTooSoon(line, previous, days, settings.minRefillDays),
                        related: previous)
                ]
            }
            if days > settings.maxRefillDays {
                return [
                    Finding(
                        Self.self, .info, on: line, .refillOverdue(previous, days, settings.maxRefillDays),
                        related: previous)
                ]
            }
            if let expected = expectedDaysToEmpty(previous, line, settings),
                Double(days) < expected * settings.expectedIntervalFraction
            {
                return [
                    Finding(
                        Self.self, .warning, on: line, .soonerThanExpected(previous, days, expected),
                        related: previous)
                ]
            }
        }
        if let previous = previousService {
            let days = line.serviceDate.days(since: previous.serviceDate)
            if days < settings.minVisitDays {
                return [
                    Finding(
                        Self.self, .warning, on: line, .visitTooSoon(line, previous, days, settings.minVisitDays),
                        related: previous)
                ]
            }
        }
        return []
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
