import ClaimModel

/// An E/M visit billed by the provider of a pump service on the same date without
/// modifier 25.
///
/// This is NCCI policy, not a PTP edit: no CMS edit pairs a pump code with an E/M
/// visit (the only such rows were deleted in 2000), so the finding cites the policy
/// manual and is a warning for review, never an error.
public struct SameDayEvaluationAndManagementRule: Rule {
    /// The rule's settings.
    public struct Settings: RuleSettings {
        /// The modifier that marks a significant, separately identifiable E/M service.
        @Setting("em_modifier", .code, "the modifier that marks a significant, separately identifiable E/M")
        public var evaluationAndManagementModifier = "25"
        /// Modifiers that some billers put on an E/M instead of 25; they never stand for it.
        @Setting(
            "not_substitutes", .set(of: .code), "modifiers the message names as no substitute for the E/M modifier")
        public var notSubstitutes: Set<String> = ["59", "XE", "XS", "XP", "XU"]

        public init() {}
    }

    public static let description = RuleDescription(
        identifier: "same_day_em",
        name: "E/M on the day of a pump service without modifier 25",
        severity: .warning,
        rationale: """
            The six pump codes (62367-62370, 95990, 95991) have global period XXX in the \
            Medicare Physician Fee Schedule. The NCCI Policy Manual (chapter I, general \
            correct coding policies) says that the pre- and post-procedure work of such a \
            procedure, including the decision to perform it, is included in the procedure \
            and is never a separate E/M service; only a significant, separately identifiable \
            E/M service, reported with modifier 25, may be billed beside it. The rule flags \
            an E/M visit (99202-99215) on a professional claim by the same provider \
            (rendering NPI, else billing NPI) on the same date as a professional pump \
            service, without modifier 25. Modifier 59 and the X modifiers never stand for \
            25 on an E/M. No CMS PTP edit pairs these codes, so the finding is a warning \
            for review: the visit may be billable with 25 if the record supports it.
            """,
        citation:
            "NCCI Policy Manual for Medicare Services, chapter I (E/M with procedures of global period XXX; modifier 25); "
            + "Medicare Physician Fee Schedule global period XXX for 62367-62370, 95990, 95991",
        triggeringExamples: [
            RuleExample(
                """
                C1,1,P1,2026-10-05,62367,,1,11,,1111111112,1111111112,MD,,70.00
                ↓C2,1,P1,2026-10-05,99214,,1,11,,1111111112,1111111112,MD,,110.00
                """, severity: .warning),
            RuleExample(
                """
                C1,1,P1,2026-10-05,95991,,1,11,,,1222222220,MD,,95.00
                ↓C1,2,P1,2026-10-05,99213,59,1,11,,,1222222220,MD,,90.00
                """, severity: .warning),
        ],
        nonTriggeringExamples: [
            RuleExample(
                """
                C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00
                C2,1,P1,2026-10-05,99214,25,1,11,,1111111112,1111111112,MD,,110.00
                C3,1,P1,2026-10-06,99213,,1,11,,1111111112,1111111112,MD,,90.00
                C4,1,P1,2026-10-05,99213,,1,11,,1333333338,1333333338,MD,,90.00
                C5,1,P2,2026-10-05,99213,,1,11,,1111111112,1111111112,MD,,90.00
                """),
            RuleExample(
                """
                F1,1,P1,2026-10-05,62369,,1,,131,,1444444446,,,300.00
                F1,2,P1,2026-10-05,99213,,1,,131,,1444444446,,,150.00
                """),
        ]
    )

    private let settings: Settings

    public init(configuration: AuditConfiguration) {
        settings = configuration[settingsOf: Self.self]
    }

    public func check(_ context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for day in context.patientDays {
            // The first pump service of each provider that day: the one the visit is named against.
            var pumpByProvider: [String: ClaimLine] = [:]
            for line in day where line.claimType == .professional && line.family.isPumpService {
                if let provider = line.providerNPI, pumpByProvider[provider] == nil { pumpByProvider[provider] = line }
            }
            guard !pumpByProvider.isEmpty else { continue }
            for visit in day
            where visit.claimType == .professional && visit.family == .evaluationAndManagement
                && !visit.hasModifier(settings.evaluationAndManagementModifier)
            {
                guard let provider = visit.providerNPI, let pump = pumpByProvider[provider] else { continue }
                let substitute = visit.modifiers.first { settings.notSubstitutes.contains($0) }
                findings.append(
                    Finding(
                        Self.self, .warning, on: visit,
                        .withoutModifier(visit, pump, settings.evaluationAndManagementModifier, substitute),
                        related: pump))
            }
        }
        return findings
    }
}

extension Finding.Message {
    fileprivate static func withoutModifier(
        _ visit: ClaimLine, _ pump: ClaimLine, _ modifier: String, _ substitute: String?
    )
        -> Self
    {
        let instead = substitute.map { "; modifier \($0) does not stand for \(modifier) on an E/M" } ?? ""
        return Self(
            "E/M \(visit.code) by the same provider on the date of \(pump.citationName), without modifier \(modifier)"
                + "\(instead): the pre- and post-service work of a pump service (global period XXX) is part of it; "
                + "only a significant, separately identifiable E/M with \(modifier) is billed beside it "
                + "(NCCI Policy Manual, chapter I)")
    }
}
