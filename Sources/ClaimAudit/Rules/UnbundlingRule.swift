import ClaimModel

/// NCCI procedure-to-procedure edits: two codes billed for the same patient, date of
/// service and provider, where the column-2 code is part of the column-1 service.
public struct UnbundlingRule: Rule {
    /// The rule's settings.
    public struct Settings: Sendable, Equatable {
        /// NCCI-associated modifiers that bypass an edit with modifier indicator 1.
        public var bypassModifiers: Set<String> = ["59", "XE", "XS", "XP", "XU"]
        /// The modifier that bypasses an edit whose column-2 code is an E/M visit.
        public var evaluationAndManagementModifier = "25"

        public init() {}
    }

    public static let description = RuleDescription(
        identifier: "unbundling",
        name: "Unbundled procedure pair",
        severity: .error,
        rationale: """
            CPT reports one pump analysis level per visit, and 95990/95991 are refills \
            without reprogramming, so they are not reported with 62367-62370; NCCI codes \
            these as procedure-to-procedure edits. A pair fires when both lines have the \
            same patient, date of service and provider (rendering NPI, else billing NPI), \
            on any claims, and an edit is in force on that date. The finding goes on the \
            column-2 line. Indicator 0: no modifier bypasses it. Indicator 1: an \
            NCCI-associated modifier on the column-2 line (59, XE, XS, XP, XU; 25 on an \
            E/M) bypasses it, and the finding is only noted so the documentation can be sampled.
            """,
        citation: "NCCI PTP edits (practitioner); CPT instructions for 62367-62370 and 95990-95991",
        settings: [
            SettingDescription(
                key: "bypass_modifiers", defaultValue: "[59, XE, XS, XP, XU]",
                meaning: "modifiers on the column-2 line that bypass an indicator-1 edit"),
            SettingDescription(
                key: "em_modifier", defaultValue: "25",
                meaning: "the modifier that bypasses an indicator-1 edit on an E/M column-2 line"),
        ],
        triggeringExamples: [
            RuleExample(
                """
                C1,1,P1,2026-10-05,62369,,1,11,,1111111111,1111111111,MD,,120.00
                ↓C1,2,P1,2026-10-05,62368,,1,11,,1111111111,1111111111,MD,,90.00
                """, severity: .error),
            RuleExample(
                """
                C1,1,P1,2026-10-05,62369,59,1,11,,1111111111,1111111111,MD,,120.00
                ↓C2,1,P1,2026-10-05,95990,XU,1,11,,1111111111,1111111111,MD,,80.00
                """, severity: .error),
            RuleExample(
                """
                C1,1,P1,2026-10-05,95991,,1,11,,,1222222222,MD,,95.00
                ↓C1,2,P1,2026-10-05,95990,,1,11,,,1222222222,MD,,80.00
                """, severity: .error),
            RuleExample(
                """
                C1,1,P1,2026-10-05,62367,,1,11,,1111111111,1111111111,MD,,70.00
                ↓C2,1,P1,2026-10-05,99214,,1,11,,1111111111,1111111111,MD,,110.00
                """, severity: .error),
            RuleExample(
                """
                C1,1,P1,2026-10-05,62367,,1,11,,1111111111,1111111111,MD,,70.00
                ↓C2,1,P1,2026-10-05,99214,25,1,11,,1111111111,1111111111,MD,,110.00
                """, severity: .info),
        ],
        nonTriggeringExamples: [
            RuleExample(
                """
                C1,1,P1,2026-10-05,62369,,1,11,,1111111111,1111111111,MD,,120.00
                C1,2,P1,2026-10-05,J0475,JZ,2,11,,1111111111,1111111111,MD,,500.00
                """),
            RuleExample(
                """
                C1,1,P1,2026-10-05,62369,,1,11,,1111111111,1111111111,MD,,120.00
                C2,1,P1,2026-10-05,62368,,1,11,,1333333333,1333333333,MD,,90.00
                C3,1,P1,2026-10-06,95990,,1,11,,1111111111,1111111111,MD,,80.00
                C4,1,P2,2026-10-05,95990,,1,11,,1111111111,1111111111,MD,,80.00
                """),
            RuleExample(
                """
                C1,1,P1,2026-10-05,95990,,1,11,,1111111111,1111111111,MD,,80.00
                C2,1,P1,2026-10-05,95990,,1,11,,1111111111,1111111111,MD,,80.00
                F1,1,P1,2026-10-05,62369,,1,,131,,1444444444,,,300.00
                """),
        ]
    )

    private let table: PTPTable
    private let settings: Settings

    public init(configuration: AuditConfiguration) {
        table = configuration.reference.ptp
        settings = configuration.unbundling
    }

    public func check(_ context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for day in context.patientDays where day.count > 1 {
            // Practitioner edits: professional lines only, grouped by provider.
            let byProvider = Dictionary(grouping: day.filter { $0.claimType == .professional }) { $0.providerNPI ?? "" }
            for lines in byProvider.values where lines.count > 1 {
                for (i, first) in lines.enumerated() {
                    for second in lines[(i + 1)...] where first.code != second.code {
                        if let finding = finding(column1: first, column2: second) { findings.append(finding) }
                        if let finding = finding(column1: second, column2: first) { findings.append(finding) }
                    }
                }
            }
        }
        return findings
    }

    private func finding(column1: ClaimLine, column2: ClaimLine) -> Finding? {
        guard let edit = table.edit(column1: column1.code, column2: column2.code, on: column2.serviceDate) else {
            return nil
        }
        if edit.modifierIndicator == .allowed, let modifier = bypassModifier(on: column2) {
            return Finding(Self.self, .info, on: column2, .bypassed(column2, column1, modifier, edit), related: column1)
        }
        return Finding(Self.self, .error, on: column2, .notPayable(column2, column1, edit), related: column1)
    }

    private func bypassModifier(on line: ClaimLine) -> String? {
        line.modifiers.first { modifier in
            settings.bypassModifiers.contains(modifier)
                || (line.family == .evaluationAndManagement && modifier == settings.evaluationAndManagementModifier)
        }
    }
}

extension Finding.Message {
    fileprivate static func notPayable(_ column2: ClaimLine, _ column1: ClaimLine, _ edit: PTPEdit) -> Self {
        if column2.family == .evaluationAndManagement && edit.modifierIndicator == .allowed {
            return Self(
                "E/M \(column2.code) on the date of \(column1.citationName), same provider, has no modifier 25: "
                    + "it is bundled unless it is a significant, separately identifiable service (\(edit.source) edit)")
        }
        let bypass =
            edit.modifierIndicator == .notAllowed
            ? "modifier indicator 0: no modifier bypasses it"
            : "modifier indicator 1, and no bypass modifier is on the \(column2.code) line"
        return Self(
            "\(column2.code) is bundled into \(column1.code) on \(column1.citationName) for the same patient, "
                + "date and provider (\(bypass); \(edit.source) edit)")
    }

    fileprivate static func bypassed(_ column2: ClaimLine, _ column1: ClaimLine, _ modifier: String, _ edit: PTPEdit)
        -> Self
    {
        Self(
            "\(column2.code) with \(column1.code) on \(column1.citationName) is bypassed by modifier \(modifier); "
                + "the documentation must support a distinct service (\(edit.source) edit)")
    }
}
