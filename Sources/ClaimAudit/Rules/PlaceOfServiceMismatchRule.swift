import ClaimModel

/// A place of service that the service, the facility's own claim, the rest of the
/// claim or the service location contradicts.
public struct PlaceOfServiceMismatchRule: Rule {
    /// The rule's settings.
    public struct Settings: RuleSettings {
        /// Places paid the non-facility (higher) rate that a facility claim contradicts.
        @Setting(
            "non_facility_places", .set(of: .place),
            "places paid the non-facility rate, which a facility claim the same day contradicts")
        public var nonFacilityPlaces: Set<String> = ["11", "12"]
        /// First two digits of the types of bill that show the patient was in a facility:
        /// hospital inpatient (11x, 12x), hospital outpatient (13x), ASC (83x).
        @Setting(
            "facility_bill_types", .set(of: .text),
            "first two digits of the types of bill that put the patient in a facility")
        public var facilityBillTypes: Set<String> = ["11", "12", "13", "83"]
        /// Code -> places it can never be given at. Pump analysis and refill, and a drug
        /// filled into the pump, need the patient in person at a place of care.
        @Setting("forbidden_places", .mapping(.code, to: .set(of: .place)), "code -> places it can never be given at")
        public var forbiddenPlaces: [String: Set<String>] = Dictionary(
            uniqueKeysWithValues: (CodeTable.pumpServiceCodes + CodeTable.codes(of: .pumpDrug)).map {
                ($0, PlaceOfServiceMismatchRule.inPersonOnlyForbidden)
            })
        /// Code -> the only places it may be given at; a code without an entry may be
        /// given anywhere not forbidden.
        @Setting(
            "allowed_places", .mapping(.code, to: .set(of: .place)),
            "code -> the only places it may be given at (a code not listed: any place not forbidden)")
        public var allowedPlaces: [String: Set<String>] = [:]
        /// Codes payable only "incident to" a physician's service (PC/TC indicator 5), which
        /// Medicare does not pay to a physician for hospital inpatients or outpatients.
        @Setting(
            "incident_to_codes", .set(of: .code),
            "codes paid only incident to a physician's service, never at a hospital place")
        public var incidentToCodes = CodeTable.codes(with: .incidentTo)
        /// The hospital places where an incident-to code is not payable: off-campus and
        /// on-campus outpatient hospital (19, 22), inpatient (21), emergency room (23).
        @Setting(
            "hospital_places", .set(of: .place), "places where an incident-to code is not payable to the physician")
        public var hospitalPlaces: Set<String> = ["19", "21", "22", "23"]
        /// Facility (service location) NPI -> the place of service its lines must carry,
        /// from here and from `--locations FILE`.
        @Setting(
            "expected_place_by_npi", .mapping(.npi, to: .place),
            "facility NPI -> the place of service its professional lines must carry (--locations FILE adds more)")
        public var expectedPlaceByNPI: [String: String] = [:]

        public init() {}
    }

    /// Telehealth (02, 10), ambulance (41, 42), independent laboratory (81), other (99).
    public static let inPersonOnlyForbidden: Set<String> = ["02", "10", "41", "42", "81", "99"]

    public static let description = RuleDescription(
        identifier: "pos_mismatch",
        name: "Place of service mismatch",
        severity: .error,
        rationale: """
            Place of service decides whether the physician is paid the facility or the \
            (higher) non-facility rate. The rule reads the pump service lines \
            (62367-62370, 95990, 95991) and the pump drug lines. Errors: a professional line \
            at office or home (POS 11, 12) while an institutional claim of type of bill 11x, \
            12x (inpatient), 13x (hospital outpatient) or 83x (ASC) exists for the same \
            patient and date, the OIG's cross-match, in whose audits most such services \
            were wrongly coded; and a place the service cannot have: an implanted pump is \
            analysed or refilled in person, so telehealth (02, 10), ambulance (41, 42), an \
            independent laboratory (81) and an unknown place (99) are denied, and so are they \
            for the drug filled into the pump at that visit. Warnings: lines of one claim and \
            date whose places differ from their pump line's (one encounter has one place); \
            a line that carries both a place of service and a type of bill (a data error: \
            professional lines have the one, institutional lines the other); and a \
            professional line whose facility NPI a locations file expects at another place. \
            POS 19 or 22 beside a 13x claim and POS 24 beside an 83x claim are consistent, \
            and the facility's own institutional lines are never checked for place. Each \
            problem is its own finding. Also an error: a professional 95990 (or 96522) at a             hospital place (POS 19, 21, 22, 23). These codes have PC/TC indicator 5 in the             Medicare Physician Fee Schedule: they are paid only "incident to" a physician's             service, by auxiliary staff in the office, and never to the physician for a             hospital inpatient or outpatient.
            """,
        citation: "OIG audits of place-of-service coding (facility vs non-facility); CMS Place of Service Code Set; "
            + "Medicare Physician Fee Schedule PC/TC indicator 5 (incident-to codes 95990, 96522); "
            + "pumpaudit default for places a pump service cannot have",
        triggeringExamples: [
            RuleExample(
                """
                ↓C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00
                ↓C1,2,P1,2026-10-05,J0475,JZ,2,11,,1111111112,1111111112,MD,,500.00
                F1,1,P1,2026-10-05,62369,,1,,131,,1444444446,,,300.00
                ↓C2,1,P2,2026-10-05,95990,,1,12,,1111111112,1111111112,RN,,80.00
                A2,1,P2,2026-10-05,64483,,1,,831,,1555555550,,,900.00
                """, severity: .error),
            RuleExample(
                """
                ↓C1,1,P1,2026-10-05,95990,,1,02,,1111111112,1111111112,NP,,80.00
                ↓C2,1,P2,2026-10-05,62367,,1,10,,1111111112,1111111112,MD,,70.00
                ↓C3,1,P3,2026-10-05,95990,,1,81,,1111111112,1111111112,MD,,80.00
                """, severity: .error),
            RuleExample(
                """
                ↓C1,1,P1,2026-10-05,95990,,1,19,,1111111112,1111111112,NP,,80.00
                F1,1,P1,2026-10-05,95990,,1,,131,,1444444446,,,200.00
                ↓C2,1,P2,2026-10-05,95990,,1,22,,1111111112,1111111112,MD,,80.00
                """, severity: .error),
            RuleExample(
                """
                C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00
                ↓C1,2,P1,2026-10-05,J0475,JZ,2,22,,1111111112,1111111112,MD,,500.00
                ↓F2,1,P2,2026-10-05,95990,,1,22,131,,1444444446,,,200.00
                """, severity: .warning),
        ],
        nonTriggeringExamples: [
            RuleExample(
                """
                C1,1,P1,2026-10-05,62369,,1,22,,1111111112,1111111112,MD,,120.00
                C1,2,P1,2026-10-05,J0475,JZ,2,22,,1111111112,1111111112,MD,,500.00
                F1,1,P1,2026-10-05,62369,,1,,131,,1444444446,,,300.00
                F1,2,P1,2026-10-05,J0475,,2,,131,,1444444446,,,600.00
                C2,1,P2,2026-10-05,62368,,1,24,,1111111112,1111111112,MD,,90.00
                A2,1,P2,2026-10-05,62368,,1,,831,,1555555550,,,900.00
                C3,1,P3,2026-10-05,95991,,1,19,,1111111112,1111111112,MD,,80.00
                F3,1,P3,2026-10-05,95991,,1,,131,,1444444446,,,200.00
                """),
            RuleExample(
                """
                C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00
                C1,2,P1,2026-10-05,J0475,JZ,2,11,,1111111112,1111111112,MD,,500.00
                C1,3,P1,2026-10-05,99213,25,1,02,,1111111112,1111111112,MD,,90.00
                C2,1,P1,2026-10-06,95990,,1,11,,1111111112,1111111112,MD,,80.00
                F2,1,P1,2026-10-07,95990,,1,,131,,1444444446,,,200.00
                C3,1,P2,2026-10-05,95990,,1,12,,1111111112,1111111112,MD,,80.00
                F3,1,P2,2026-10-05,95990,,1,,721,,1444444446,,,200.00
                """),
        ]
    )

    private let settings: Settings

    public init(configuration: AuditConfiguration) {
        settings = configuration[settingsOf: Self.self]
    }

    /// First two digits of the types of bill of an inpatient stay (hospital inpatient
    /// Part A, 11x; Part B only, 12x): the patient is in the facility on every day of the
    /// claim's span, not only on the date its lines are filed under.
    static let inpatientBillTypes: Set<String> = ["11", "12"]

    public func check(_ context: AuditContext) -> [Finding] {
        var findings: [Finding] = []
        // Reused from day to day: most days hold a line or two, and this runs for every one.
        var stays: [ClaimLine] = []
        var facility: [ClaimLine] = []
        var subjects: [ClaimLine] = []
        var professional: [ClaimLine] = []
        for patient in context.patients {
            stays.removeAll(keepingCapacity: true)
            for line in patient.lines where isFacilityClaim(line) && isMultiDayInpatientStay(line) {
                stays.append(line)
            }
            for day in patient.days {
                facility.removeAll(keepingCapacity: true)
                subjects.removeAll(keepingCapacity: true)
                for line in day {
                    if isFacilityClaim(line) { facility.append(line) }
                    if line.family.isPumpService || line.family == .pumpDrug
                        || settings.incidentToCodes.contains(line.code)
                    {
                        subjects.append(line)
                    }
                }
                guard !subjects.isEmpty else { continue }
                let date = day[day.startIndex].serviceDate
                for stay in stays where stay.serviceDate != date && stay.claimSpan?.contains(date) == true {
                    facility.append(stay)
                }
                let facilityLines = FacilityLines(facility)
                professional.removeAll(keepingCapacity: true)
                for line in subjects {
                    findings += check(line, facilityLines: facilityLines)
                    if line.claimType == .professional && line.placeOfService != nil { professional.append(line) }
                }
                // Two places need two lines.
                if professional.count > 1 { findings += encounterFindings(professional) }
            }
        }
        return findings
    }

    private func isMultiDayInpatientStay(_ line: ClaimLine) -> Bool {
        guard let billType = line.billType, let span = line.claimSpan else { return false }
        return Self.inpatientBillTypes.contains(String(billType.prefix(2))) && span.lowerBound < span.upperBound
    }

    /// The checks of one line on its own, or against the day's facility claims.
    private func check(_ line: ClaimLine, facilityLines: FacilityLines) -> [Finding] {
        guard let place = line.placeOfService else { return [] }
        if let billType = line.billType {
            return [Finding(Self.self, .warning, on: line, .placeAndBillType(place, billType))]
        }
        guard line.claimType == .professional else { return [] }
        var findings: [Finding] = []
        if settings.nonFacilityPlaces.contains(place), let facility = facilityLines.bestMatch(for: line) {
            findings.append(
                Finding(Self.self, .error, on: line, .facilityClaim(line, place, facility), related: facility))
        }
        if settings.incidentToCodes.contains(line.code) && settings.hospitalPlaces.contains(place) {
            findings.append(Finding(Self.self, .error, on: line, .incidentToAtHospital(line, place)))
        }
        if settings.forbiddenPlaces[line.code]?.contains(place) == true {
            findings.append(Finding(Self.self, .error, on: line, .forbidden(line, place)))
        } else if let allowed = settings.allowedPlaces[line.code], !allowed.contains(place) {
            findings.append(Finding(Self.self, .error, on: line, .notAllowed(line, place, allowed)))
        }
        if let npi = line.facilityNPI, let expected = settings.expectedPlaceByNPI[npi], expected != place {
            findings.append(Finding(Self.self, .warning, on: line, .unexpectedAtLocation(npi, expected, place)))
        }
        return findings
    }

    /// An institutional line whose type of bill puts the patient in a facility.
    private func isFacilityClaim(_ line: ClaimLine) -> Bool {
        guard line.claimType == .institutional, let billType = line.billType else { return false }
        return settings.facilityBillTypes.contains(String(billType.prefix(2)))
    }

    /// Lines of one claim and date whose place differs from the claim's pump line.
    /// A drug line that matches any pump line of the claim is in place.
    private func encounterFindings(_ lines: [ClaimLine]) -> [Finding] {
        var findings: [Finding] = []
        for claim in Self.claims(of: lines) {
            let pumpLines = claim.filter { $0.family.isPumpService }
            guard let reference = pumpLines.first, let place = reference.placeOfService else { continue }
            let pumpPlaces = Set(pumpLines.compactMap(\.placeOfService))
            for line in claim where line != reference && line.placeOfService != place {
                if line.family == .pumpDrug, let own = line.placeOfService, pumpPlaces.contains(own) { continue }
                findings.append(Finding(Self.self, .warning, on: line, .twoPlaces(line, reference), related: reference))
            }
        }
        return findings
    }
}

extension PlaceOfServiceMismatchRule {
    /// A day's lines grouped by claim. A day holds a few lines: they are grouped by
    /// comparing claim ids, without hashing, but past a dozen, where the square of the
    /// lines would cost more than the hashing.
    fileprivate static func claims(of lines: [ClaimLine]) -> [[ClaimLine]] {
        guard lines.count <= 12 else { return Array(Dictionary(grouping: lines, by: \.claimID).values) }
        var claims: [[ClaimLine]] = []
        for line in lines {
            if let index = claims.firstIndex(where: { $0[0].claimID == line.claimID }) {
                claims[index].append(line)
            } else {
                claims.append([line])
            }
        }
        return claims
    }
}

/// A day's facility lines, indexed once so that each professional line finds the
/// one to name in constant time however busy the day.
private struct FacilityLines {
    private var firstByCode: [String: ClaimLine] = [:]
    private var firstPumpService: ClaimLine?
    private var first: ClaimLine?

    init(_ lines: [ClaimLine]) {
        first = lines.first
        firstPumpService = lines.first { $0.family.isPumpService }
        for line in lines where firstByCode[line.code] == nil { firstByCode[line.code] = line }
    }

    /// The facility line to name: one of the same code, else one of a pump service, else the first.
    func bestMatch(for line: ClaimLine) -> ClaimLine? {
        firstByCode[line.code] ?? firstPumpService ?? first
    }
}

extension Finding.Message {
    private static func place(_ code: String) -> String { PlaceOfServiceCodes.describe(place: code) }

    fileprivate static func placeAndBillType(_ place: String, _ billType: String) -> Self {
        Self(
            "the line carries both \(Self.place(place)) and \(PlaceOfServiceCodes.describe(billType: billType)): "
                + "a professional line has a place of service and an institutional line a type of bill, so the export "
                + "mixes the two (data quality)")
    }

    fileprivate static func facilityClaim(_ line: ClaimLine, _ place: String, _ facility: ClaimLine) -> Self {
        let billType = PlaceOfServiceCodes.describe(billType: facility.billType ?? "")
        // A revenue-code line has no code to name; an inpatient stay names its span.
        let bills = facility.code.isEmpty ? "" : " bills \(facility.code)"
        let when =
            facility.claimSpan.flatMap { span in
                span.lowerBound < span.upperBound
                    ? " during the stay from \(span.lowerBound) to \(span.upperBound)" : nil
            } ?? " on \(facility.serviceDate)"
        return Self(
            "\(line.code) is billed at \(Self.place(place)), the non-facility rate, but the patient was in a "
                + "facility that day: institutional claim \(facility.claimID), \(billType),\(bills)\(when). "
                + "The service belongs at the facility's place "
                + "(19 or 22 outpatient hospital, 21 inpatient, 24 ASC) and its facility rate")
    }

    fileprivate static func forbidden(_ line: ClaimLine, _ place: String) -> Self {
        let what =
            line.family == .pumpDrug
            ? "\(line.code) is a drug filled into the implanted pump in person"
            : "\(line.code) is an in-person service on an implanted pump"
        return Self("\(what); it cannot be given at \(Self.place(place))")
    }

    fileprivate static func incidentToAtHospital(_ line: ClaimLine, _ place: String) -> Self {
        Self(
            "\(line.code) is paid only incident to a physician's service (PC/TC indicator 5), which Medicare does not "
                + "pay for a hospital inpatient or outpatient; this professional line is billed at \(Self.place(place))"
        )
    }

    fileprivate static func notAllowed(_ line: ClaimLine, _ place: String, _ allowed: Set<String>) -> Self {
        Self(
            "\(line.code) may be given only at \(allowed.sorted().joined(separator: ", ")); this line has \(Self.place(place))"
        )
    }

    fileprivate static func twoPlaces(_ line: ClaimLine, _ pump: ClaimLine) -> Self {
        Self(
            "\(line.code) is billed at \(Self.place(line.placeOfService ?? "")) but \(pump.citationName), on the same "
                + "claim and date, at \(Self.place(pump.placeOfService ?? "")): one encounter has one place of service")
    }

    fileprivate static func unexpectedAtLocation(_ npi: String, _ expected: String, _ place: String) -> Self {
        Self(
            "the service location (facility NPI \(npi)) is listed at \(Self.place(expected)), "
                + "but this line is billed at \(Self.place(place))")
    }
}
