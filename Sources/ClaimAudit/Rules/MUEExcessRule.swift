import ClaimModel

/// Medically unlikely edits: more units of a code than one provider reports for one
/// patient, on a line (MAI 1) or on a date of service (MAI 2 and 3).
public struct MUEExcessRule: Rule {
    /// The rule's settings.
    public struct Settings: RuleSettings {
        /// The modifier by which a provider states that units above the MUE are
        /// reasonable and necessary: such lines are reported for review, not as errors.
        @Setting("review_modifier", .code, "the modifier that turns an excess into a warning for review")
        public var reviewModifier = "GD"

        public init() {}
    }

    public static let description = RuleDescription(
        identifier: "mue_excess",
        name: "Units over the MUE",
        severity: .error,
        rationale: """
            CMS sets a medically unlikely edit (MUE) per code: the most units one provider \
            reports for one patient. With MAI 1 the units of each line are checked; with \
            MAI 2 (policy) and 3 (clinical) the units of every line with the same patient, \
            date, code and billing provider are summed, professional and institutional \
            claims apart, and every line that takes part is flagged. Professional lines \
            meet the practitioner services table, institutional lines the outpatient \
            hospital services table. In the CMS tables of 2024-07-01 (the built-in ones) \
            the six pump codes carry MUE 1 with MAI 3 in both settings; the pump drugs, \
            practitioner / outpatient: J0475 8/8, J0476 2/2, J2278 1000/1000, J2274 250/100, \
            J1170 350/50, J0735 50/50, J7799 2/2. A CMS file loaded with --mue or \
            --mue-outpatient replaces the built-in table of its setting. Modifier GD makes \
            the finding a warning.
            """,
        citation:
            "NCCI MUE tables (CMS), practitioner services and outpatient hospital services; built-in: the CMS tables effective 2024-07-01",
        triggeringExamples: [
            RuleExample(
                """
                C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00
                ↓C1,2,P1,2026-10-05,J0475,JZ,10,11,,1111111112,1111111112,MD,,1250.00
                """, severity: .error),
            RuleExample(
                """
                F1,1,P1,2026-10-05,62369,,1,,131,,1444444446,,,300.00
                ↓F1,2,P1,2026-10-05,J2274,JZ,150,,131,,1444444446,,,900.00
                """, severity: .error),
            RuleExample(
                """
                ↓C1,1,P1,2026-10-05,62370,,2,11,,1111111112,1111111112,MD,ultrasound-guided deep pump,150.00
                """, severity: .error),
            RuleExample(
                """
                ↓C1,1,P1,2026-10-05,95990,,1,11,,1111111112,1222222220,MD,,80.00
                ↓C2,1,P1,2026-10-05,95990,,1,11,,1333333338,1222222220,MD,,80.00
                """, severity: .error),
            RuleExample(
                """
                ↓C1,1,P1,2026-10-05,62369,GD,2,11,,1111111112,1111111112,MD,,120.00
                """, severity: .warning),
        ],
        nonTriggeringExamples: [
            RuleExample(
                """
                C1,1,P1,2026-10-05,62370,,1,11,,1111111112,1111111112,MD,ultrasound-guided deep pump,150.00
                C1,2,P1,2026-10-05,J0475,JZ,4,11,,1111111112,1111111112,MD,,1000.00
                C1,3,P1,2026-10-05,J0475,JW,4,11,,1111111112,1111111112,MD,,1000.00
                """),
            RuleExample(
                """
                C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00
                C1,2,P1,2026-10-05,J2274,JZ,150,11,,1111111112,1111111112,MD,,900.00
                """),
            RuleExample(
                """
                C1,1,P1,2026-10-05,95990,,1,11,,1111111112,1222222220,MD,,80.00
                C2,1,P1,2026-10-05,95990,,1,11,,1111111112,1555555550,MD,,80.00
                C3,1,P1,2026-10-06,95990,,1,11,,1111111112,1222222220,MD,,80.00
                F1,1,P1,2026-10-05,95990,,1,,131,,1222222220,,,200.00
                """),
        ]
    )

    private let reference: ReferenceData
    private let settings: Settings

    public init(configuration: AuditConfiguration) {
        reference = configuration.reference
        settings = configuration[settingsOf: Self.self]
    }

    private struct UnitKey: Hashable {
        var code: String
        var claimType: ClaimType
        var billingProvider: String

        init(_ line: ClaimLine) {
            code = line.code
            claimType = line.claimType
            billingProvider = line.billingNPI ?? line.renderingNPI ?? ""
        }
    }

    public func check(_ context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        let professional = reference.mue(for: .professional)
        let institutional = reference.mue(for: .institutional)
        var edited: [ClaimLine] = []
        for day in context.patientDays {
            // Most lines of a day have no MUE (E/M visits, drugs of other codes): the day
            // is grouped only when lines with one are there.
            edited.removeAll(keepingCapacity: true)
            for line in day where line.units > 0 {
                let edits = line.claimType == .professional ? professional : institutional
                if edits[line.code] != nil { edited.append(line) }
            }
            if edited.isEmpty { continue }
            if edited.count == 1, let edit = reference.mue(for: edited[0].claimType)[edited[0].code] {
                findings += check(edited, against: edit)
                continue
            }
            for (key, lines) in Self.grouped(edited) {
                guard let edit = reference.mue(for: key.claimType)[key.code] else { continue }
                findings += check(lines, against: edit)
            }
        }
        return findings
    }

    /// A day's lines grouped by code, setting and billing provider. A day holds a few
    /// such lines: they are grouped by comparing keys, in the order the lines come,
    /// without hashing; a day of more than `linearGroupingLimit` is grouped by hashing,
    /// so that no day costs the square of its lines.
    private static func grouped(_ lines: [ClaimLine]) -> [(key: UnitKey, lines: [ClaimLine])] {
        guard lines.count <= linearGroupingLimit else {
            return Dictionary(grouping: lines, by: UnitKey.init).map { ($0.key, $0.value) }
        }
        var groups: [(key: UnitKey, lines: [ClaimLine])] = []
        for line in lines {
            let key = UnitKey(line)
            if let index = groups.firstIndex(where: { $0.key == key }) {
                groups[index].lines.append(line)
            } else {
                groups.append((key, [line]))
            }
        }
        return groups
    }

    static let linearGroupingLimit = 32

    private func check(_ lines: [ClaimLine], against edit: MUEEdit) -> [Finding] {
        switch edit.indicator {
        case .line:
            return lines.filter { $0.units > edit.maximumUnits }.map { line in
                Finding(Self.self, severity(of: line), on: line, .lineOver(line, edit))
            }
        case .dateOfServicePolicy, .dateOfServiceClinical:
            let total = lines.reduce(0) { $0 + $1.units }
            guard total > edit.maximumUnits else { return [] }
            // Each finding names a few of the other lines, so a busy day stays linear.
            return lines.indices.map { index in
                let line = lines[index]
                let others = lines.indices.lazy.filter { $0 != index }.prefix(Self.namedOthers + 1).map { lines[$0] }
                return Finding(
                    Self.self, severity(of: line), on: line,
                    .dayOver(line, Array(others.prefix(Self.namedOthers)), lines.count - 1, total, edit),
                    related: others.first)
            }
        }
    }

    /// How many of the other lines of a day a finding names; the rest are counted.
    static let namedOthers = 5

    private func severity(of line: ClaimLine) -> Severity {
        line.hasModifier(settings.reviewModifier) ? .warning : .error
    }
}

extension Finding.Message {
    fileprivate static func lineOver(_ line: ClaimLine, _ edit: MUEEdit) -> Self {
        Self(
            "\(line.units) units of \(line.code) on one line; the MUE is \(edit.maximumUnits) (\(edit.indicator.label); "
                + "\(edit.source))")
    }

    fileprivate static func dayOver(
        _ line: ClaimLine, _ named: [ClaimLine], _ otherCount: Int, _ total: Int, _ edit: MUEEdit
    ) -> Self {
        var with =
            named.isEmpty
            ? "on this line alone"
            : "with " + named.map { "\($0.citationName): \($0.units)" }.joined(separator: ", ")
        if otherCount > named.count { with += " and \(otherCount - named.count) more lines" }
        return Self(
            "\(total) units of \(line.code) on \(line.serviceDate) for this patient and billing provider "
                + "(this line: \(line.units); \(with)); the MUE is \(edit.maximumUnits) (\(edit.indicator.label); \(edit.source))"
        )
    }
}
