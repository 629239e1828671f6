import ClaimModel

/// A pump drug line with no refill that day, or an office refill with no drug.
///
/// A drug is filled into an implanted pump during a refill, so the drug line belongs
/// to a refill visit: the refill may be on another claim, by another provider (the
/// facility bills the drug, the physician the refill), in another input file, or in
/// an earlier run. A drug line that no refill of the patient's date explains has lost
/// its encounter; an office refill without its drug is only noted, since the drug may
/// come from a pharmacy.
public struct EncounterLinkageRule: Rule {
    /// The rule's settings.
    public struct Settings: RuleSettings {
        /// Drugs filled into a pump: the single-dose pump drugs but the baclofen trial
        /// dose, hydromorphone, clonidine, and the unclassified codes of compounded fills.
        @Setting("pump_drugs", .set(of: .code), "drug codes filled into a pump, whose line needs a refill that day")
        public var pumpDrugs: Set<String> = [
            "J0475", "J2278", "J2274", "J1170", "J0735", "J7799", "J7999", "J3490",
        ]
        /// Pump drugs given only through a pump: their line needs a refill even for a
        /// patient with no pump service in the run or the history store.
        @Setting(
            "pump_only_drugs", .set(of: .code),
            "pump drugs given only through a pump, checked even for a patient with no pump service on record")
        public var pumpOnlyDrugs: Set<String> = ["J0475", "J2278"]
        /// The services that refill a pump.
        @Setting("refill_codes", .set(of: .code), "the services that refill a pump (and so fill its drug)")
        public var refillCodes = CodeTable.codes(with: .includesRefill)
        /// Whether an office refill without a drug line is noted.
        @Setting(
            "expect_drug_in_office", .flag,
            "note a professional refill in the office with no pump drug line that day (info)", perPayer: true)
        public var expectDrugInOffice = true
        /// The places where the practice buys and bills the drug it fills.
        @Setting("office_places", .set(of: .place), "places of service where the practice bills the drug it fills")
        public var officePlaces: Set<String> = ["11"]

        public init() {}
    }

    public static let description = RuleDescription(
        identifier: "encounter_linkage",
        name: "Pump drug without its refill",
        severity: .warning,
        rationale: """
            A drug is filled into an implanted pump during a refill (62369, 62370, 95990, \
            95991: refill_codes), so a pump drug line belongs to a refill of the same \
            patient on the same date. The refill may be on any claim, by any provider, in \
            any input file of the run or in the history store. Warning: a pump drug line \
            (pump_drugs) with no such refill: the refill, or the visit the drug was given \
            at, is missing. Which drugs go into a pump is a pumpaudit default: baclofen \
            (J0475), ziconotide (J2278), preservative-free morphine (J2274), hydromorphone \
            (J1170), clonidine (J0735) and the codes of unclassified and compounded drugs \
            (J7799, J7999, J3490). The baclofen trial dose (J0476) is left out: it is given \
            by lumbar puncture or catheter before a pump is implanted, with no refill. \
            Since most of these drugs are also given by other routes, a drug line is read \
            only for a patient with a pump service in the run or the history store, except \
            for the drugs given only through a pump (pump_only_drugs: intrathecal baclofen \
            10 mg and ziconotide, whose labeling is for implanted or external intrathecal \
            pumps). Info: a professional refill in the office (POS 11) with no pump drug \
            line for the patient that date; the drug may come from a specialty pharmacy, so \
            this is only noted (expect_drug_in_office: false turns it off, per payer).
            """,
        citation:
            "pumpaudit default (a refill is billed with the drug it fills; CPT 62369, 62370, 95990, 95991 include "
            + "the refill); Lioresal Intrathecal and Prialt labeling (pump administration)",
        triggeringExamples: [
            RuleExample(
                """
                C1,1,P1,2026-10-05,62367,,1,11,,1111111112,1111111112,MD,,70.00
                ↓C1,2,P1,2026-10-05,J1170,JZ,1,11,,1111111112,1111111112,MD,,30.00
                ↓C2,1,P2,2026-10-06,J0475,JZ,3,11,,1111111112,1111111112,MD,,70.00
                C3,1,P3,2026-10-05,95990,,1,11,,1111111112,1111111112,MD,,80.00
                C3,2,P3,2026-10-05,J2274,JZ,1,11,,1111111112,1111111112,MD,,40.00
                ↓C4,1,P3,2026-10-19,J2274,JZ,1,11,,1111111112,1111111112,MD,,40.00
                """, severity: .warning),
            RuleExample(
                """
                ↓C1,1,P1,2026-10-05,95990,,1,11,,1111111112,1111111112,MD,,80.00
                """, severity: .info),
        ],
        nonTriggeringExamples: [
            RuleExample(
                """
                C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00
                C2,1,P1,2026-10-05,J0475,JZ,3,11,,1209384753,1209384753,MD,,70.00
                C3,1,P2,2026-10-05,95991,,1,22,,1111111112,1111111112,MD,deep pump,95.00
                F3,1,P2,2026-10-05,J2278,JZ,100,,131,,1444444446,,,300.00
                C4,1,P3,2026-10-06,J1170,,1,23,,1111111112,1111111112,MD,,30.00
                C5,1,P4,2026-10-06,J0476,JZ,1,11,,1111111112,1111111112,MD,,30.00
                """),
            // The refill and the drug of an earlier file of the same date.
            RuleExample(
                """
                C2,1,P1,2026-10-05,J0475,JZ,3,11,,1111111112,1111111112,MD,,70.00
                C3,1,P2,2026-10-05,95990,,1,11,,1111111112,1111111112,MD,,80.00
                """,
                history: """
                    C1,1,P1,2026-10-05,95990,,1,11,,1111111112,1111111112,MD,,80.00
                    C4,1,P2,2026-10-05,J0475,JZ,3,11,,1111111112,1111111112,MD,,70.00
                    """),
        ]
    )

    private let settings: PayerSettings<Settings>

    public init(configuration: AuditConfiguration) {
        settings = configuration.payerSettings(of: Self.self)
    }

    public var codesRead: Set<String> { settings.run.pumpDrugs.union(settings.run.refillCodes) }

    /// A drug given only through a pump needs its refill whatever else is on record.
    public var codesOpeningAudit: Set<String> { settings.run.pumpOnlyDrugs.intersection(settings.run.pumpDrugs) }

    public func check(_ context: AuditContext) -> [Finding] {
        let settings = settings.run
        var findings: [Finding] = []
        for patient in context.patients {
            let hasPump = patient.lines.contains { $0.family.isPumpService }
            for day in patient.days {
                let refill = day.first { settings.refillCodes.contains($0.code) }
                let drug = day.first { settings.pumpDrugs.contains($0.code) }
                for line in day where !line.fromHistory {
                    if refill == nil, settings.pumpDrugs.contains(line.code),
                        hasPump || settings.pumpOnlyDrugs.contains(line.code)
                    {
                        findings.append(Finding(Self.self, .warning, on: line, .noRefill(line, settings.refillCodes)))
                    }
                    if drug == nil, line.claimType == .professional, settings.refillCodes.contains(line.code),
                        line.placeOfService.map(settings.officePlaces.contains) == true,
                        self.settings[line.payer].expectDrugInOffice
                    {
                        findings.append(Finding(Self.self, .info, on: line, .noDrug(line)))
                    }
                }
            }
        }
        return findings
    }
}

extension Finding.Message {
    fileprivate static func noRefill(_ line: ClaimLine, _ refills: Set<String>) -> Self {
        Self(
            "\(line.code) is a pump drug, but no refill (\(refills.sorted().joined(separator: ", "))) of this patient on "
                + "\(line.serviceDate) is on any claim of the run or in the history store: the refill it was filled "
                + "at, or the visit it was given at, is missing")
    }

    fileprivate static func noDrug(_ line: ClaimLine) -> Self {
        Self(
            "\(line.code) refills the pump in the office, but no pump drug line of this patient on "
                + "\(line.serviceDate) is on any claim of the run or in the history store: noted, since the drug "
                + "may come from a pharmacy")
    }
}
