import ClaimAudit
import ClaimIngest
import ClaimModel
import Testing

@Suite struct PlaceOfServiceMismatchRuleTests {
    private func findings(_ rows: String, _ configuration: AuditConfiguration = AuditConfiguration()) throws
        -> [Finding]
    {
        try AuditHarness.audit(rows, rules: [PlaceOfServiceMismatchRule.self], configuration: configuration)
    }

    private static let pumpCodes = ["62367", "62368", "62369", "62370", "95990", "95991"]

    // MARK: 1. Facility cross-match

    @Test(arguments: [
        ("11", "131"), ("12", "131"), ("11", "0131"), ("11", "831"), ("12", "837"), ("11", "111"),
        ("11", "121"),
    ])
    func aNonFacilityPlaceBesideAFacilityClaimIsAnError(place: String, billType: String) throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,\(place),,1111111112,1111111112,MD,,120.00
            F1,1,P1,2026-10-05,62369,,1,,\(billType),,1444444446,,,300.00
            """)
        #expect(result.map(\.severity) == [.error], "\(place) with \(billType)")
        let finding = try #require(result.first)
        #expect(finding.line!.claimID == "C1")
        #expect(finding.related?.claimID == "F1")
        #expect(finding.message.text.contains("institutional claim F1"))
        #expect(
            finding.message.text.contains(
                "type of bill \(billType.count == 4 ? String(billType.dropFirst()) : billType)"))
        #expect(finding.amountAtRisk == Money(cents: 12000))
    }

    @Test func theDrugLineOfTheVisitIsCrossMatchedTooNamingTheFacilityLineOfItsCode() throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,95990,,1,11,,1111111112,1111111112,MD,,80.00
            C1,2,P1,2026-10-05,J0475,JZ,2,11,,1111111112,1111111112,MD,,500.00
            C1,3,P1,2026-10-05,99213,25,1,11,,1111111112,1111111112,MD,,90.00
            F1,1,P1,2026-10-05,95990,,1,,131,,1444444446,,,300.00
            F1,2,P1,2026-10-05,J0475,,2,,131,,1444444446,,,600.00
            """)
        #expect(Set(result.map(\.line!.code)) == ["95990", "J0475"])
        #expect(result.allSatisfy { $0.severity == .error && $0.related?.code == $0.line!.code })
    }

    /// POS 22 or 19 with a 13x claim, 24 with an 83x claim, and facility types that
    /// are not in the list: consistent, so silent. The facility lines are silent too.
    @Test(arguments: [
        ("22", "131"), ("19", "131"), ("24", "831"), ("21", "111"), ("11", "721"), ("12", "321"),
        ("11", "231"),
    ])
    func consistentPlacesAreSilent(place: String, billType: String) throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,\(place),,1111111112,1111111112,MD,,120.00
            C1,2,P1,2026-10-05,J0475,JZ,2,\(place),,1111111112,1111111112,MD,,500.00
            F1,1,P1,2026-10-05,62369,,1,,\(billType),,1444444446,,,300.00
            F1,2,P1,2026-10-05,J0475,,2,,\(billType),,1444444446,,,600.00
            """)
        #expect(result.isEmpty, "\(place) with \(billType): \(result.map(\.message))")
    }

    @Test func aFacilityClaimOnAnotherDateOrForAnotherPatientIsNoMatch() throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00
            F1,1,P1,2026-10-06,62369,,1,,131,,1444444446,,,300.00
            F2,1,P2,2026-10-05,62369,,1,,131,,1444444446,,,300.00
            """)
        #expect(result.isEmpty)
    }

    // MARK: 2. A place the service cannot have

    static let impossible = pumpCodes.flatMap { code in ["02", "10", "41", "42", "81", "99"].map { (code, $0) } }

    @Test(arguments: impossible)
    func aPumpServiceCannotBeGivenRemotely(code: String, place: String) throws {
        let result = try findings("C1,1,P1,2026-10-05,\(code),,1,\(place),,1111111112,1111111112,MD,,100.00")
        #expect(result.map(\.severity) == [.error], "\(code) at \(place)")
        #expect(result.first?.message.text.contains("cannot be given at POS \(place)") == true)
    }

    @Test(arguments: ["11", "12", "19", "21", "22", "24", "31", "32", "49"])
    func aPumpServiceInPersonIsSilent(place: String) throws {
        #expect(try findings("C1,1,P1,2026-10-05,95991,,1,\(place),,1111111112,1111111112,MD,,80.00").isEmpty)
    }

    // MARK: 2b. Incident-to codes at a hospital place

    @Test(arguments: ["95990", "96522"], ["19", "21", "22", "23"])
    func anIncidentToCodeAtAHospitalPlaceIsAnError(code: String, place: String) throws {
        // The patient has an intrathecal pump service on another date, so the engine keeps the line.
        let result = try findings(
            """
            C0,1,P1,2026-09-01,62367,,1,11,,1111111112,1111111112,MD,,70.00
            C1,1,P1,2026-10-05,\(code),,1,\(place),,1111111112,1111111112,MD,,80.00
            """)
        #expect(result.map(\.severity) == [.error], "\(code) at \(place)")
        #expect(result.first?.message.text.contains("incident to") == true)
        #expect(result.first?.message.text.contains("POS \(place)") == true)
    }

    @Test(arguments: ["11", "12", "24", "31", "32", "49"])
    func anIncidentToCodeOutsideTheHospitalIsSilent(place: String) throws {
        #expect(try findings("C1,1,P1,2026-10-05,95990,,1,\(place),,1111111112,1111111112,MD,,80.00").isEmpty)
    }

    @Test func theFacilitysOwnIncidentToLineIsNotChecked() throws {
        #expect(try findings("F1,1,P1,2026-10-05,95990,,1,,131,,1444444446,,,200.00").isEmpty)
    }

    @Test func theIncidentToCodesAndHospitalPlacesAreSettings() throws {
        var configuration = AuditConfiguration()
        configuration[settingsOf: PlaceOfServiceMismatchRule.self].incidentToCodes = ["95991"]
        configuration[settingsOf: PlaceOfServiceMismatchRule.self].hospitalPlaces = ["24"]
        #expect(try findings("C1,1,P1,2026-10-05,95991,,1,24,,1111111112,,MD,,100.00", configuration).count == 1)
        #expect(try findings("C1,1,P1,2026-10-05,95990,,1,22,,1111111112,,MD,,100.00", configuration).isEmpty)
    }

    @Test func theDrugFilledAtARemoteVisitIsAnErrorButAnEMIsNotChecked() throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,95990,,1,02,,1111111112,1111111112,MD,,80.00
            C1,2,P1,2026-10-05,J2278,JZ,100,02,,1111111112,1111111112,MD,,900.00
            C1,3,P1,2026-10-05,99213,,1,02,,1111111112,1111111112,MD,,90.00
            """)
        #expect(result.map(\.line!.code).sorted() == ["95990", "J2278"])
        #expect(
            result.first { $0.line!.code == "J2278" }?.message.text.contains("drug filled into the implanted pump")
                == true)
    }

    @Test func theAllowedAndForbiddenTablesAreSettings() throws {
        var configuration = AuditConfiguration()
        configuration[settingsOf: PlaceOfServiceMismatchRule.self].allowedPlaces["62370"] = ["11", "22"]
        configuration[settingsOf: PlaceOfServiceMismatchRule.self].forbiddenPlaces["95990"] = ["12"]
        #expect(try findings("C1,1,P1,2026-10-05,62370,,1,24,,1111111112,,MD,,100.00", configuration).count == 1)
        #expect(try findings("C1,1,P1,2026-10-05,62370,,1,22,,1111111112,,MD,,100.00", configuration).isEmpty)
        #expect(try findings("C1,1,P1,2026-10-05,95990,,1,12,,1111111112,,MD,,100.00", configuration).count == 1)
        #expect(try findings("C1,1,P1,2026-10-05,95990,,1,02,,1111111112,,MD,,100.00", configuration).isEmpty)
    }

    // MARK: 3. One encounter, two places

    @Test func aDrugLineAtAnotherPlaceThanItsPumpLineIsAWarning() throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00
            C1,2,P1,2026-10-05,J0475,JZ,2,22,,1111111112,1111111112,MD,,500.00
            """)
        #expect(result.map(\.severity) == [.warning])
        #expect(result.first?.line?.code == "J0475")
        #expect(result.first?.related?.code == "62369")
        #expect(result.first?.message.text.contains("claim C1 line 1 (62369)") == true)
    }

    @Test func twoPumpLinesOfOneClaimAtTwoPlacesWarnOnTheLaterOne() throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,62367,,1,11,,1111111112,1111111112,MD,,70.00
            C1,2,P1,2026-10-05,95991,,1,22,,1111111112,1111111112,MD,,80.00
            C1,3,P1,2026-10-05,J0475,JZ,2,22,,1111111112,1111111112,MD,,500.00
            """)
        #expect(result.map(\.line!.lineNumber) == [2])
        #expect(result.first?.related?.lineNumber == 1)
    }

    @Test func differentClaimsOrDatesOrNoPumpLineAreSilent() throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00
            C2,1,P1,2026-10-05,J0475,JZ,2,22,,1111111112,1111111112,MD,,500.00
            C3,1,P1,2026-10-06,62369,,1,11,,1111111112,1111111112,MD,,120.00
            C4,1,P1,2026-10-07,J0475,JZ,2,22,,1111111112,1111111112,MD,,500.00
            C4,2,P1,2026-10-07,J0475,JW,1,11,,1111111112,1111111112,MD,,250.00
            C5,1,P1,2026-10-08,62369,,1,11,,1111111112,1111111112,MD,,120.00
            C5,2,P1,2026-10-08,99213,25,1,22,,1111111112,1111111112,MD,,90.00
            """)
        #expect(result.isEmpty)
    }

    /// An institutional line (by its claim type) that carries a place but no type of
    /// bill is the facility's own: cases 1 to 3 never read it.
    @Test func theFacilitysOwnLinesNeverTripThePlaceChecks() throws {
        let lines = try AuditHarness.lines(
            """
            \(RuleExample.standardHeader),claim_type
            C1,1,P1,2026-10-05,62369,,1,22,,1111111112,1111111112,MD,,120.00,professional
            F1,1,P1,2026-10-05,62369,,1,11,,,1444444446,,,300.00,institutional
            F1,2,P1,2026-10-05,J0475,,1,02,,,1444444446,,,300.00,institutional
            F2,1,P1,2026-10-05,95990,,1,12,131,,1444444446,,,200.00,institutional
            """)
        let result = AuditEngine(configuration: AuditConfiguration(), rules: [PlaceOfServiceMismatchRule.self]).audit(
            lines
        ).findings
        #expect(result.map(\.line!.claimID) == ["F2"], "only the data-quality warning")
    }

    // MARK: 4. Both a place and a type of bill

    @Test func aLineWithBothAPlaceAndATypeOfBillIsADataWarning() throws {
        let result = try findings(
            """
            F1,1,P1,2026-10-05,95990,,1,22,131,,1444444446,,,200.00
            F1,2,P1,2026-10-05,J0475,,1,22,131,,1444444446,,,200.00
            F2,1,P2,2026-10-05,95990,,1,,131,,1444444446,,,200.00
            """)
        #expect(result.map(\.line!.lineNumber) == [1, 2])
        #expect(result.allSatisfy { $0.severity == .warning && $0.line!.claimID == "F1" })
        #expect(
            result.first?.message.text.contains("both POS 22 (on-campus outpatient hospital) and type of bill 131")
                == true)
    }

    // MARK: 5. Expected place by location

    private static let locationHeader = RuleExample.standardHeader + ",facility_npi"

    private func findings(atLocations rows: String, _ places: [String: String]) throws -> [Finding] {
        var configuration = AuditConfiguration()
        configuration[settingsOf: PlaceOfServiceMismatchRule.self].expectedPlaceByNPI = places
        let lines = try AuditHarness.lines(Self.locationHeader + "\n" + rows + "\n")
        return AuditEngine(configuration: configuration, rules: [PlaceOfServiceMismatchRule.self]).audit(lines).findings
    }

    @Test func aLineAtAListedLocationMustCarryItsPlace() throws {
        let rows = """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00,1730495821
            C2,1,P2,2026-10-05,62369,,1,22,,1111111112,1111111112,MD,,120.00,1730495821
            C3,1,P3,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00,1999999992
            C4,1,P4,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00,
            F5,1,P5,2026-10-05,62369,,1,,131,,1730495821,,,300.00,1730495821
            """
        let result = try findings(atLocations: rows, ["1730495821": "22"])
        #expect(result.map(\.line!.claimID) == ["C1"])
        #expect(result.first?.severity == .warning)
        #expect(result.first?.message.text.contains("facility NPI 1730495821) is listed at POS 22") == true)
        #expect(try findings(atLocations: rows, [:]).isEmpty, "no locations, no expectations")
    }

    // MARK: Samples

    @Test func theSampleClaimsTripEveryCase() throws {
        var configuration = AuditConfiguration()
        configuration[settingsOf: PlaceOfServiceMismatchRule.self].expectedPlaceByNPI = try LocationsFile.load(
            sampleFile("reference/locations_sample.csv"))
        let findings = AuditEngine(configuration: configuration, rules: [PlaceOfServiceMismatchRule.self])
            .audit(try sampleClaimLines()).findings
        let byPatient = Dictionary(grouping: findings, by: \.line!.patientID)
        #expect(
            Set(byPatient.keys) == [
                "PT-10051", "PT-10052", "BENE000125", "PT-10054", "PT-10055", "PT-10081", "PT-10082", "BENE000141",
            ],
            "consistent sample lines (PT-10016, PT-10017, PT-10074, BENE000130) must stay silent")
        let crossMatch = byPatient["PT-10051"] ?? []
        #expect(crossMatch.contains { $0.severity == .error && $0.related?.claimID == "CLM26-H141" })
        #expect(crossMatch.contains { $0.severity == .warning && $0.message.text.contains("facility NPI 1730495821") })
        #expect(byPatient["PT-10052"]?.first?.message.text.contains("POS 02") == true)
        #expect(byPatient["BENE000125"]?.first?.message.text.contains("POS 81") == true)
        #expect(byPatient["PT-10054"]?.map(\.line!.code) == ["J0475"])
        #expect(byPatient["PT-10055"]?.first?.message.text.contains("type of bill 131") == true)
        // Facility claims in their real shapes: revenue-code lines with no line date, an
        // inpatient stay around the professional line's date, a RIF outpatient claim.
        for (patient, facility) in [
            ("PT-10081", "CLM26-H181"), ("PT-10082", "CLM26-I182"), ("BENE000141", "26091600141"),
        ] {
            #expect(byPatient[patient]?.map(\.severity) == [.error], "\(patient)")
            #expect(byPatient[patient]?.first?.related?.claimID == facility, "\(patient)")
        }
        #expect(byPatient.values.joined().filter { $0.line!.patientID != "PT-10051" }.count == 7)
    }
}

/// Facility claims as real exports carry them: an inpatient stay dated by its claim, and
/// revenue-code lines without a code.
@Suite struct FacilityClaimShapeTests {
    private static let header =
        "claim_id,claim_line_number,claim_type,person_id,claim_start_date,claim_end_date,claim_line_start_date,"
        + "place_of_service_code,bill_type_code,service_unit_quantity,hcpcs_code,rendering_npi,paid_amount"

    private func findings(_ rows: String) throws -> [Finding] {
        let lines = try AuditHarness.lines(Self.header + "\n" + rows + "\n")
        return AuditEngine(configuration: AuditConfiguration(), rules: [PlaceOfServiceMismatchRule.self])
            .audit(lines).findings
    }

    /// A professional line at POS 11 on any day of an inpatient stay meets the stay's
    /// claim, though the stay's lines carry only its first date.
    @Test(arguments: [("2026-10-01", true), ("2026-10-03", true), ("2026-10-05", true), ("2026-10-06", false)])
    func anInpatientStayCoversEveryDayOfIt(date: String, flagged: Bool) throws {
        let result = try findings(
            """
            S1,1,institutional,P1,2026-10-01,2026-10-05,,,111,3,,,0.00
            S1,2,institutional,P1,2026-10-01,2026-10-05,,,111,1,,,0.00
            C1,1,professional,P1,\(date),\(date),\(date),11,,1,62369,1111111112,120.00
            """)
        #expect(result.map(\.severity) == (flagged ? [.error] : []), "\(date)")
        if flagged {
            #expect(result.first?.related?.claimID == "S1")
            #expect(result.first?.message.text.contains("during the stay from 2026-10-01 to 2026-10-05") == true)
        }
    }

    /// An outpatient claim's span is not a stay: its lines have their own dates.
    @Test func anOutpatientClaimSpanIsNotAStay() throws {
        let result = try findings(
            """
            F1,1,institutional,P1,2026-10-01,2026-10-31,,,131,1,,,0.00
            C1,1,professional,P1,2026-10-03,2026-10-03,2026-10-03,11,,1,62369,1111111112,120.00
            """)
        #expect(result.isEmpty)
    }

    /// A revenue-code line with no code is the facility claim all the same; no rule
    /// reads its empty code.
    @Test func aRevenueCodeLineMeetsTheProfessionalLine() throws {
        let lines = try AuditHarness.lines(
            Self.header + "\n"
                + """
                F1,1,institutional,P1,2026-10-05,2026-10-05,,,131,1,,,0.00
                C1,1,professional,P1,2026-10-05,2026-10-05,2026-10-05,11,,1,62369,1111111112,120.00

                """)
        let all = AuditEngine(configuration: AuditConfiguration()).audit(lines).findings
        let crossMatch = all.filter { $0.ruleID == PlaceOfServiceMismatchRule.description.identifier }
        #expect(crossMatch.map(\.severity) == [.error])
        let message = try #require(crossMatch.first?.message.text)
        #expect(message.contains("institutional claim F1, type of bill 131"))
        #expect(message.contains("), on 2026-10-05"))
        #expect(!message.contains("bills"))
        #expect(all.allSatisfy { $0.line!.claimID == "C1" })
    }
}
