import ClaimModel

/// A single-dose pump drug line without the JW or JZ modifier that Medicare requires,
/// or with modifiers that contradict each other.
///
/// Since 2023-07-01 a separately payable Part B drug from a single-dose container
/// carries JZ when none of it was discarded, or a second line with JW for the amount
/// discarded; from 2023-10-01 a claim without either is returned unprocessable. The
/// drugs filled into a pump (baclofen ampules, ziconotide and preservative-free
/// morphine vials) come in single-dose containers, so their lines are read whether or
/// not a refill is in the run.
public struct DrugWasteModifierRule: Rule {
    /// The rule's settings.
    public struct Settings: RuleSettings {
        /// HCPCS codes of pump drugs from single-dose containers.
        @Setting(
            "single_dose_drugs", .set(of: .code),
            "drug codes from single-dose containers, which need JW or JZ (a payer without the policy: [])",
            perPayer: true)
        public var singleDoseDrugs: Set<String> = ["J0475", "J0476", "J2278", "J2274"]
        /// The first date of service the modifiers are required on.
        @Setting(
            "required_from", .date, "the first date of service on which JW or JZ is required", perPayer: true)
        public var requiredFrom = ServiceDate(year: 2023, month: 7, day: 1)!
        /// First two digits of types of bill whose drugs the policy does not reach.
        @Setting(
            "exempt_bill_types", .set(of: .text),
            "first two digits of the types of bill the policy does not reach: inpatient Part A (11x), RHC (71x), "
                + "FQHC (77x)")
        public var exemptBillTypes: Set<String> = ["11", "71", "77"]
        /// Places whose facility payment may package the drug.
        @Setting(
            "packaging_places", .set(of: .place),
            "places of service whose facility payment may package the drug (ASC): a missing modifier is a warning")
        public var packagingPlaces: Set<String> = ["24"]

        public init() {}
    }

    public static let description = RuleDescription(
        identifier: "drug_waste_modifier",
        name: "Single-dose pump drug without JW or JZ",
        severity: .error,
        rationale: """
            Medicare requires a modifier on every separately payable Part B drug from a \
            single-dose container: JZ when none of it was discarded (required from \
            2023-07-01), or a second line with JW for the amount discarded, the administered \
            amount then on a line of its own without a modifier; from 2023-10-01 a claim \
            without either is returned unprocessable. The rule reads professional and \
            institutional lines of single_dose_drugs dated on or after required_from, and \
            groups them by patient, date, drug and provider (rendering NPI, else billing NPI; \
            the billing NPI of an institutional claim), on any claim and in any input file \
            or the history store. Errors: a line with neither JW nor JZ and no JW line beside \
            it; JW and JZ on one line; a JZ line and a JW line of the same drug (JZ says \
            nothing was discarded, JW that something was), each flagged and naming the other. \
            Warning: a JW line with no administered line of its drug. Single-dose by their \
            labeling: J0475 and J0476 (Lioresal Intrathecal is supplied in single-use \
            ampules, the 50 mcg/mL screening ampule and the 500 and 2,000 mcg/mL refill \
            ampules), J2278 (each Prialt vial is for single use; the unused portion is \
            discarded), J2274 (preservative-free morphine: each Duramorph ampul is for single \
            use only and its unused portion is discarded). The policy does not reach \
            drugs that are not separately payable, nor RHC and FQHC claims: lines on types \
            of bill 11x (inpatient Part A, paid within the stay), 71x and 77x are not read; \
            on an institutional claim and in an ASC (packaging_places) the drug may be \
            packaged, which the claim does not show, so a missing modifier there is a \
            warning. An export without a modifier column cannot show JW or JZ: its lines \
            are not flagged for lacking them, and the summary names the file. A payer without the policy takes single_dose_drugs: [].
            """,
        citation:
            "CMS, Discarded Drugs and Biologicals: JW Modifier and JZ Modifier Policy FAQs (CY 2023 PFS final rule, "
            + "87 FR 69710-69734); Noridian JE/JF, Drug Wastage - JW and JZ Modifiers; labeling: Lioresal "
            + "Intrathecal (single-use ampules), Prialt (vials for single use), Duramorph (ampuls for single use only)",
        inputNotes: [modifierNote],
        triggeringExamples: [
            RuleExample(
                """
                C1,1,P1,2026-10-05,95990,,1,11,,1111111112,1111111112,MD,,80.00
                ↓C1,2,P1,2026-10-05,J0475,,4,11,,1111111112,1111111112,MD,,90.00
                ↓C2,1,P2,2026-10-05,J2278,JW:JZ,100,11,,1111111112,1111111112,MD,,300.00
                ↓C3,1,P3,2026-10-05,J0475,JZ,3,11,,1111111112,1111111112,MD,,70.00
                ↓C3,2,P3,2026-10-05,J0475,JW,1,11,,1111111112,1111111112,MD,,20.00
                """, severity: .error),
            // A JW line with no administered line of its drug; a facility line without a
            // modifier, whose drug the outpatient payment may package.
            RuleExample(
                """
                ↓C1,1,P1,2026-10-05,J0475,JW,1,11,,1111111112,1111111112,MD,,20.00
                ↓F1,1,P2,2026-10-05,J2274,,2,,131,,1444444446,,,60.00
                """, severity: .warning),
        ],
        nonTriggeringExamples: [
            RuleExample(
                """
                C1,1,P1,2026-10-05,J0475,JZ,3,11,,1111111112,1111111112,MD,,70.00
                C2,1,P2,2026-10-05,J0475,,2,11,,1111111112,1111111112,MD,,50.00
                C2,2,P2,2026-10-05,J0475,JW,1,11,,1111111112,1111111112,MD,,20.00
                C3,1,P3,2026-10-05,J1170,,1,11,,1111111112,1111111112,MD,,30.00
                C4,1,P4,2023-06-30,J2278,,100,11,,1111111112,1111111112,MD,,300.00
                F5,1,P5,2026-10-05,J0475,,2,,111,,1444444446,,,60.00
                F6,1,P6,2026-10-05,J2274,,2,,771,,1444444446,,,60.00
                """),
            // The JW line was billed in an earlier file: this run's line is the administered amount.
            RuleExample(
                """
                C1,2,P1,2026-10-05,J0475,,2,11,,1111111112,1111111112,MD,,50.00
                """,
                history: """
                    C1,1,P1,2026-10-05,J0475,JW,1,11,,1111111112,1111111112,MD,,20.00
                    """),
        ]
    )

    /// An input without a modifier column: its lines cannot show JW or JZ.
    public static let modifierNote = InputNote(
        field: ClaimField.modifier(1).canonicalName, or: [ClaimField.modifiers.canonicalName],
        whenMissing: "has no modifier column: drug_waste_modifier cannot see JW or JZ there and flags none of its "
            + "drug lines for lacking them.")

    private let settings: PayerSettings<Settings>
    /// Inputs without a modifier column: an absent JW or JZ there is not a missing one.
    private let filesWithoutModifiers: Set<String>

    public init(configuration: AuditConfiguration) {
        settings = configuration.payerSettings(of: Self.self)
        filesWithoutModifiers = configuration.filesWithoutModifiers
    }

    /// A single-dose drug line must carry its modifier whether or not a refill is in sight.
    public var codesOpeningAudit: Set<String> {
        settings.byPayer.values.reduce(settings.run.singleDoseDrugs) { $0.union($1.singleDoseDrugs) }
    }

    public func check(_ context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        for day in context.patientDays {
            var groups: [DrugKey: [ClaimLine]] = [:]
            for line in day where isRead(line) {
                groups[DrugKey(line), default: []].append(line)
            }
            for group in groups.values { findings += check(group) }
        }
        return findings
    }

    /// Whether the policy reaches `line`: a single-dose drug for its payer, on or after
    /// the date the modifiers are required, on a claim the policy covers.
    private func isRead(_ line: ClaimLine) -> Bool {
        // The payer's settings are read in place, as an argument: bound to a constant
        // they would be copied for every line.
        guard isRequired(line, settings[line.payer]) else { return false }
        if line.claimType == .institutional, let billType = line.billType {
            return !self.settings.run.exemptBillTypes.contains(String(billType.prefix(2)))
        }
        return true
    }

    private func isRequired(_ line: ClaimLine, _ settings: Settings) -> Bool {
        settings.singleDoseDrugs.contains(line.code) && line.serviceDate >= settings.requiredFrom
    }

    /// The findings of one drug's lines for one patient, date and provider.
    private func check(_ lines: [ClaimLine]) -> [Finding] {
        var findings: [Finding] = []
        let both = lines.filter { $0.hasModifier("JW") && $0.hasModifier("JZ") }
        let wasted = lines.filter { $0.hasModifier("JW") && !$0.hasModifier("JZ") }
        let none = lines.filter { $0.hasModifier("JZ") && !$0.hasModifier("JW") }
        // A line of an export without modifier columns cannot show JW or JZ: it is no
        // line without them (the summary names such a file).
        let plain = lines.filter {
            !$0.hasModifier("JW") && !$0.hasModifier("JZ") && !filesWithoutModifiers.contains($0.source.file)
        }
        for line in both {
            findings.append(Finding(Self.self, .error, on: line, .bothModifiers(line)))
        }
        if let firstWasted = wasted.first, let firstNone = none.first {
            for line in none {
                findings.append(
                    Finding(Self.self, .error, on: line, .contradicts(line, firstWasted), related: firstWasted))
            }
            for line in wasted {
                findings.append(Finding(Self.self, .error, on: line, .contradicts(line, firstNone), related: firstNone))
            }
        }
        if wasted.isEmpty {
            for line in plain {
                let packaged =
                    line.claimType == .institutional
                    || line.placeOfService.map { settings.run.packagingPlaces.contains($0) } == true
                findings.append(
                    Finding(Self.self, packaged ? .warning : .error, on: line, .noModifier(line, packaged: packaged)))
            }
        }
        if plain.isEmpty && none.isEmpty {
            for line in wasted { findings.append(Finding(Self.self, .warning, on: line, .wasteWithoutDose(line))) }
        }
        return findings
    }

    /// One drug of one provider on one claim type; the rule's lines are those of one
    /// patient and date already.
    private struct DrugKey: Hashable {
        let code: String
        let claimType: ClaimType
        let provider: String

        init(_ line: ClaimLine) {
            code = line.code
            claimType = line.claimType
            provider = line.editProviderNPI
        }
    }
}

extension Finding.Message {
    fileprivate static func noModifier(_ line: ClaimLine, packaged: Bool) -> Self {
        let base =
            "\(line.code) is a drug from a single-dose container billed with neither JZ (nothing discarded) nor JW, "
            + "and no JW line of it for this patient, date and provider reports a discarded amount"
        return Self(
            packaged
                ? base + ": required if the drug is separately payable here (not packaged into the facility "
                    + "payment); review"
                : base + ": Medicare returns such a claim unprocessable")
    }

    fileprivate static func bothModifiers(_ line: ClaimLine) -> Self {
        Self(
            "\(line.code) carries both JW (an amount discarded) and JZ (nothing discarded): one line takes one of "
                + "them, never both")
    }

    fileprivate static func contradicts(_ line: ClaimLine, _ other: ClaimLine) -> Self {
        let says = line.hasModifier("JZ") ? "JZ says nothing was discarded" : "JW says an amount was discarded"
        let otherSays = other.hasModifier("JZ") ? "JZ says nothing was" : "JW says some was"
        return Self(
            "\(line.code) with \(line.hasModifier("JZ") ? "JZ" : "JW"): \(says), while \(other.citationName) "
                + "for the same patient, date and provider with \(other.hasModifier("JZ") ? "JZ" : "JW"): "
                + "\(otherSays)")
    }

    fileprivate static func wasteWithoutDose(_ line: ClaimLine) -> Self {
        Self(
            "\(line.code) with JW reports a discarded amount, but no line of \(line.code) for this patient, date "
                + "and provider reports the amount administered: review the claim")
    }
}
