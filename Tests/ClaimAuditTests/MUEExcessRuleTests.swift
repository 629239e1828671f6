import ClaimAudit
import ClaimModel
import Testing

@Suite struct MUEExcessRuleTests {
    /// The findings with the built-in tables, or with `mue` loaded in place of the practitioner table.
    private func findings(_ rows: String, mue: [MUEEdit] = []) throws -> [Finding] {
        var reference = ReferenceData.builtIn
        if !mue.isEmpty { reference.practitionerMUE.load(mue, from: "test.csv") }
        return try AuditHarness.audit(
            rows, rules: [MUEExcessRule.self], configuration: AuditConfiguration(reference: reference))
    }

    @Test(arguments: ["62367", "62368", "62369", "62370", "95990", "95991"])
    func theBuiltInMUEOfEachPumpCodeIsOne(code: String) throws {
        #expect(try findings("C1,1,P1,2026-10-05,\(code),,1,11,,1111111112,1111111112,MD,,100.00").isEmpty)
        let over = try findings("C1,1,P1,2026-10-05,\(code),,2,11,,1111111112,1111111112,MD,,100.00")
        #expect(over.map(\.severity) == [.error])
        #expect(over.first?.message.text.contains("the MUE is 1") == true)
        #expect(over.first?.message.text.contains("MAI 3, date-of-service edit: clinical") == true)
        #expect(over.first?.message.text.contains("built-in practitioner MUE 2024-07-01") == true)
        for table in [ReferenceData.builtIn.practitionerMUE, ReferenceData.builtIn.outpatientMUE] {
            #expect(table[code]?.maximumUnits == 1)
            #expect(table[code]?.indicator == .dateOfServiceClinical, "\(table.setting.name)")
        }
    }

    @Test(arguments: [
        ("J0475", 8, 8), ("J0476", 2, 2), ("J2278", 1000, 1000), ("J2274", 250, 100), ("J1170", 350, 50),
        ("J0735", 50, 50), ("J7799", 2, 2),
    ])
    func theDrugMUEsArePerSetting(code: String, practitioner: Int, outpatient: Int) throws {
        for (claim, place, billType, limit) in [("C", "11", "", practitioner), ("F", "", "131", outpatient)] {
            let rows = { (units: Int) in
                """
                \(claim)1,1,P1,2026-10-05,62369,,1,\(place),\(billType),1111111112,1111111112,MD,,100.00
                \(claim)1,2,P1,2026-10-05,\(code),JZ,\(units),\(place),\(billType),1111111112,1111111112,MD,,100.00
                """
            }
            #expect(try findings(rows(limit)).isEmpty, "\(code) \(claim): \(limit) units")
            let over = try findings(rows(limit + 2))
            #expect(over.map(\.line!.code) == [code], "\(code) \(claim): \(limit + 2) units")
            #expect(over.first?.message.text.contains("the MUE is \(limit)") == true)
        }
    }

    @Test func theBuiltInDrugValuesTripOnADay() throws {
        let rows = { (units: Int) in
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,100.00
            C1,2,P1,2026-10-05,J0475,JZ,\(units),11,,1111111112,1111111112,MD,,100.00
            """
        }
        #expect(try findings(rows(8)).isEmpty)
        #expect(try findings(rows(10)).map(\.line!.code) == ["J0475"])
    }

    @Test func institutionalLinesMeetTheOutpatientTable() throws {
        let rows = { (claimType: String) in
            claimType == "institutional"
                ? """
                F1,1,P1,2026-10-05,62369,,1,,131,,1444444446,,,300.00
                F1,2,P1,2026-10-05,J2274,JZ,150,,131,,1444444446,,,900.00
                """
                : """
                C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1444444446,MD,,100.00
                C1,2,P1,2026-10-05,J2274,JZ,150,11,,1111111112,1444444446,MD,,900.00
                """
        }
        let institutional = try findings(rows("institutional"))
        #expect(institutional.map(\.line!.code) == ["J2274"])
        #expect(institutional.first?.message.text.contains("the MUE is 100") == true)
        #expect(institutional.first?.message.text.contains("built-in outpatient hospital MUE 2024-07-01") == true)
        #expect(try findings(rows("professional")).isEmpty, "150 is under the practitioner MUE of 250")
        var reference = ReferenceData.builtIn
        reference.outpatientMUE.load(
            [
                MUEEdit(
                    code: "J2274", maximumUnits: 200, indicator: .dateOfServiceClinical, rationale: "", source: "o.csv")
            ],
            from: "o.csv")
        #expect(
            try AuditHarness.audit(
                rows("institutional"), rules: [MUEExcessRule.self],
                configuration: AuditConfiguration(reference: reference)
            ).isEmpty)
    }

    @Test func aLoadedFileReplacesTheBuiltInTable() throws {
        let edit = MUEEdit(code: "J0475", maximumUnits: 4, indicator: .line, rationale: "", source: "test.csv")
        // 62370 has no value in the loaded table: the built-in MUE 1 is gone with the built-in table.
        #expect(try findings("C1,1,P1,2026-10-05,62370,,2,11,,1111111112,1111111112,MD,,100.00", mue: [edit]).isEmpty)
        #expect(try findings("C1,1,P1,2026-10-05,62370,,2,11,,1111111112,1111111112,MD,,100.00").count == 1)
    }

    @Test func lineEditsCheckEachLineAlone() throws {
        let edit = MUEEdit(code: "J0475", maximumUnits: 4, indicator: .line, rationale: "", source: "test.csv")
        let result = try findings(
            """
            C0,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,100.00
            C1,1,P1,2026-10-05,J0475,,4,11,,1111111112,1111111112,MD,,100.00
            C2,1,P1,2026-10-05,J0475,,4,11,,1111111112,1111111112,MD,,100.00
            C3,1,P1,2026-10-05,J0475,,5,11,,1111111112,1111111112,MD,,100.00
            """, mue: [edit])
        #expect(result.map(\.line!.claimID) == ["C3"])
    }

    @Test(arguments: [MUEEdit.AdjudicationIndicator.dateOfServicePolicy, .dateOfServiceClinical])
    func dateOfServiceEditsSumAndFlagEveryLineNamingTheOthers(indicator: MUEEdit.AdjudicationIndicator) throws {
        let edit = MUEEdit(code: "J0475", maximumUnits: 4, indicator: indicator, rationale: "", source: "test.csv")
        // A refill makes P1 a pump patient, whose drug lines the rules then see.
        let result = try findings(
            """
            C0,1,P1,2026-10-05,62369,,1,11,,1111111112,1222222220,MD,,100.00
            C1,1,P1,2026-10-05,J0475,,3,11,,1111111112,1222222220,MD,,100.00
            C2,1,P1,2026-10-05,J0475,,2,11,,1333333338,1222222220,MD,,100.00
            C3,1,P1,2026-10-05,J0475,,2,11,,1333333338,1999999992,MD,,100.00
            C4,1,P1,2026-10-06,J0475,,2,11,,1333333338,1222222220,MD,,100.00
            """, mue: [edit])
        #expect(result.map(\.line!.claimID).sorted() == ["C1", "C2"])
        let first = try #require(result.first { $0.line!.claimID == "C1" })
        #expect(first.related?.claimID == "C2")
        #expect(first.message.text.contains("5 units"))
        #expect(first.message.text.contains("claim C2 line 1 (J0475): 2"))
    }

    @Test func professionalAndInstitutionalUnitsAreSummedApart() throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,95990,,1,11,,,1222222220,MD,,80.00
            F1,1,P1,2026-10-05,95990,,1,,131,,1222222220,,,200.00
            """)
        #expect(result.isEmpty)
    }

    @Test func modifierGDMakesAWarning() throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,95990,GD,1,11,,,1222222220,MD,,80.00
            C2,1,P1,2026-10-05,95990,,1,11,,,1222222220,MD,,80.00
            """)
        #expect(
            Dictionary(uniqueKeysWithValues: result.map { ($0.line!.claimID, $0.severity) }) == [
                "C1": .warning, "C2": .error,
            ])
    }

    @Test func aLoadedValueOverridesTheBuiltInOne() throws {
        let edit = MUEEdit(
            code: "62370", maximumUnits: 2, indicator: .dateOfServiceClinical, rationale: "", source: "test.csv")
        #expect(try findings("C1,1,P1,2026-10-05,62370,,2,11,,,1222222220,MD,,80.00", mue: [edit]).isEmpty)
        #expect(try findings("C1,1,P1,2026-10-05,62370,,3,11,,,1222222220,MD,,80.00", mue: [edit]).count == 1)
    }
}
