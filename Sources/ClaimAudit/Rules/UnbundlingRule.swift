import ClaimModel

/// NCCI procedure-to-procedure edits: two codes billed for the same patient, date of
/// service and provider, where the column-2 code is part of the column-1 service.
public struct UnbundlingRule: Rule {
    /// The rule's settings.
    public struct Settings: RuleSettings {
        /// NCCI-associated modifiers that bypass an edit with modifier indicator 1.
        @Setting("bypass_modifiers", .set(of: .code), "modifiers on the column-2 line that bypass an indicator-1 edit")
        public var bypassModifiers: Set<String> = ["59", "XE", "XS", "XP", "XU"]
        /// The modifier that bypasses an edit whose column-2 code is an E/M visit.
        @Setting("em_modifier", .code, "the modifier that bypasses an indicator-1 edit on an E/M column-2 line")
        public var evaluationAndManagementModifier = "25"

        public init() {}
    }

    public static let description = RuleDescription(
        identifier: "unbundling",
        name: "Unbundled procedure pair",
        severity: .error,
        rationale: """
            CMS NCCI procedure-to-procedure (PTP) edits name pairs of codes where the \
            column-2 code is part of the column-1 service. For the pump codes they say: \
            one analysis level per visit (62370 and 62369 over 62368 and 62367, 62368 \
            over 62367); 62369/62370 over the refills 95990/95991, but 95990/95991 over \
            the analyses without refill 62367/62368; 95991 over 95990; the refill kit \
            A4220 into 62369, 62370, 95990 and 95991; and pairs with 96522, 96523, \
            36591/36592, 96360/96365, 62324-62327, 0333T/0464T and the implant codes \
            62360-62365. No active edit pairs a pump code with an E/M visit. A pair fires \
            when both lines have the same patient, date of service and provider, on any \
            claims, and an edit is in force on that date. Professional lines are checked \
            against the practitioner table (provider: rendering NPI, else billing NPI), \
            institutional lines against the outpatient hospital table (provider: the \
            billing NPI, the facility). The finding goes on the column-2 line and names \
            the table. Indicator 0: no modifier bypasses it. Indicator 1: an \
            NCCI-associated modifier on the column-2 line (59, XE, XS, XP, XU; 25 on an \
            E/M) bypasses it, and the finding is only noted so the documentation can be \
            sampled. The built-in tables are the CMS rows of 2024-07-01; a CMS file loaded \
            with --ptp or --ptp-outpatient replaces the built-in table of its setting.
            """,
        citation:
            "NCCI PTP edits (CMS), practitioner and outpatient hospital; built-in: the CMS tables effective 2024-07-01",
        triggeringExamples: [
            RuleExample(
                """
                C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00
                ↓C1,2,P1,2026-10-05,62368,,1,11,,1111111112,1111111112,MD,,90.00
                """, severity: .error),
            RuleExample(
                """
                C1,1,P1,2026-10-05,62369,59,1,11,,1111111112,1111111112,MD,,120.00
                ↓C2,1,P1,2026-10-05,95990,XU,1,11,,1111111112,1111111112,MD,,80.00
                """, severity: .error),
            RuleExample(
                """
                C1,1,P1,2026-10-05,95991,,1,11,,,1222222220,MD,,95.00
                ↓C1,2,P1,2026-10-05,95990,,1,11,,,1222222220,MD,,80.00
                """, severity: .error),
            RuleExample(
                """
                C1,1,P1,2026-10-05,95990,,1,11,,1111111112,1111111112,MD,,80.00
                ↓C1,2,P1,2026-10-05,62368,,1,11,,1111111112,1111111112,MD,,90.00
                """, severity: .error),
            RuleExample(
                """
                C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00
                ↓C1,2,P1,2026-10-05,A4220,,1,11,,1111111112,1111111112,MD,,30.00
                """, severity: .error),
            RuleExample(
                """
                C1,1,P1,2026-10-05,62370,,1,11,,1111111112,1111111112,MD,,150.00
                ↓C1,2,P1,2026-10-05,96522,59,1,11,,1111111112,1111111112,MD,,60.00
                """, severity: .info),
            RuleExample(
                """
                F1,1,P1,2026-10-05,62369,,1,,131,,1444444446,,,300.00
                ↓F1,2,P1,2026-10-05,A4220,,1,,131,,1444444446,,,40.00
                """, severity: .error),
        ],
        nonTriggeringExamples: [
            RuleExample(
                """
                C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00
                C1,2,P1,2026-10-05,J0475,JZ,2,11,,1111111112,1111111112,MD,,500.00
                """),
            RuleExample(
                """
                C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00
                C2,1,P1,2026-10-05,62368,,1,11,,1333333338,1333333338,MD,,90.00
                C3,1,P1,2026-10-06,95990,,1,11,,1111111112,1111111112,MD,,80.00
                C4,1,P2,2026-10-05,95990,,1,11,,1111111112,1111111112,MD,,80.00
                """),
            RuleExample(
                """
                C1,1,P1,2026-10-05,95990,,1,11,,1111111112,1111111112,MD,,80.00
                C2,1,P1,2026-10-05,95990,,1,11,,1111111112,1111111112,MD,,80.00
                F1,1,P1,2026-10-05,62369,,1,,131,,1444444446,,,300.00
                """),
            RuleExample(
                """
                C1,1,P1,2026-10-05,62367,,1,11,,1111111112,1111111112,MD,,70.00
                C2,1,P1,2026-10-05,99214,,1,11,,1111111112,1111111112,MD,,110.00
                """),
            RuleExample(
                """
                F1,1,P1,2026-10-05,95990,,1,,131,,1444444446,,,200.00
                F2,1,P1,2026-10-05,62368,,1,,131,,1555555550,,,200.00
                """),
        ]
    )

    private let reference: ReferenceData
    private let settings: Settings

    public init(configuration: AuditConfiguration) {
        reference = configuration.reference
        settings = configuration[settingsOf: Self.self]
    }

    public func check(_ context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for day in context.patientDays where day.count > 1 {
            // Professional lines meet the practitioner table, institutional lines the
            // outpatient hospital table; each kind is grouped by its provider.
            for claimType in [ClaimType.professional, .institutional] {
                let table = reference.ptp(for: claimType)
                let lines = day.filter { $0.claimType == claimType }
                guard lines.count > 1 else { continue }
                // Most days have one provider: no grouping then.
                let provider = lines[0].editProviderNPI
                if lines.allSatisfy({ $0.editProviderNPI == provider }) {
                    findings += check(lines, table)
                    continue
                }
                let byProvider = Dictionary(grouping: lines, by: \.editProviderNPI)
                for lines in byProvider.values where lines.count > 1 {
                    findings += check(lines, table)
                }
            }
        }
        return findings
    }

    /// The pairs among one provider's lines of one day. Lines are grouped by code
    /// first, so the work follows the day's few distinct codes, not the square of its
    /// lines: each column-2 line gets one finding per column-1 code in an edit with
    /// it, naming the first column-1 line of the day.
    private func check(_ lines: [ClaimLine], _ table: PTPTable) -> [Finding] {
        guard lines.count > Self.linearGroupingLimit else { return checkFew(lines, table) }
        var linesByCode: [String: [ClaimLine]] = [:]
        for line in lines { linesByCode[line.code, default: []].append(line) }
        guard linesByCode.count > 1 else { return [] }
        let codes = linesByCode.keys.sorted()
        var findings: [Finding] = []
        for column1Code in codes {
            let column1 = linesByCode[column1Code]![0]
            for column2Code in codes where column2Code != column1Code {
                for column2 in linesByCode[column2Code]! {
                    if let finding = finding(column1, column2, table) { findings.append(finding) }
                }
            }
        }
        return findings
    }

    /// A provider's lines of a day past which `check` groups them by hashing their codes.
    static let linearGroupingLimit = 16

    /// `check` for a day of a few lines, the common case: the same pairs in the same
    /// order, with the distinct codes found by comparing, not hashing.
    private func checkFew(_ lines: [ClaimLine], _ table: PTPTable) -> [Finding] {
        var codes: [String] = []
        for line in lines where !codes.contains(line.code) { codes.append(line.code) }
        guard codes.count > 1 else { return [] }
        codes.sort()
        var findings: [Finding] = []
        for column1Code in codes {
            guard let column1 = lines.first(where: { $0.code == column1Code }) else { continue }
            for column2Code in codes where column2Code != column1Code {
                for column2 in lines where column2.code == column2Code {
                    if let finding = finding(column1, column2, table) { findings.append(finding) }
                }
            }
        }
        return findings
    }

    private func finding(_ column1: ClaimLine, _ column2: ClaimLine, _ table: PTPTable) -> Finding? {
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
