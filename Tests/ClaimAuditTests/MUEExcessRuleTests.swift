import ClaimAudit
import ClaimModel
import Testing

@Suite struct MUEExcessRuleTests {
    private func findings(_ rows: String, mue: [MUEEdit] = []) throws -> [Finding] {
        var reference = ReferenceData.builtIn
        reference.mue.override(with: mue, from: "test.csv")
        return try AuditHarness.audit(
            rows, rules: [MUEExcessRule.self], configuration: AuditConfiguration(reference: reference))
    }

    @Test(arguments: ["62367", "62368", "62369", "62370", "95990", "95991"])
    func theBuiltInMUEOfEachPumpCodeIsOne(code: String) throws {
        #expect(try findings("C1,1,P1,2026-10-05,\(code),,1,11,,1111111111,1111111111,MD,,100.00").isEmpty)
        let over = try findings("C1,1,P1,2026-10-05,\(code),,2,11,,1111111111,1111111111,MD,,100.00")
        #expect(over.map(\.severity) == [.error])
        #expect(over.first?.message.text.contains("the MUE is 1") == true)
    }

    @Test func lineEditsCheckEachLineAlone() throws {
        let edit = MUEEdit(code: "J0475", maximumUnits: 4, indicator: .line, rationale: "", source: "test.csv")
        let result = try findings(
            """
            C0,1,P1,2026-10-05,62369,,1,11,,1111111111,1111111111,MD,,100.00
            C1,1,P1,2026-10-05,J0475,,4,11,,1111111111,1111111111,MD,,100.00
            C2,1,P1,2026-10-05,J0475,,4,11,,1111111111,1111111111,MD,,100.00
            C3,1,P1,2026-10-05,J0475,,5,11,,1111111111,1111111111,MD,,100.00
            """, mue: [edit])
        #expect(result.map(\.line.claimID) == ["C3"])
    }

    @Test(arguments: [MUEEdit.AdjudicationIndicator.dateOfServicePolicy, .dateOfServiceClinical])
    func dateOfServiceEditsSumAndFlagEveryLineNamingTheOthers(indicator: MUEEdit.AdjudicationIndicator) throws {
        let edit = MUEEdit(code: "J0475", maximumUnits: 4, indicator: indicator, rationale: "", source: "test.csv")
        // A refill makes P1 a pump patient, whose drug lines the rules then see.
        let result = try findings(
            """
            C0,1,P1,2026-10-05,62369,,1,11,,1111111111,1222222222,MD,,100.00
            C1,1,P1,2026-10-05,J0475,,3,11,,1111111111,1222222222,MD,,100.00
            C2,1,P1,2026-10-05,J0475,,2,11,,1333333333,1222222222,MD,,100.00
            C3,1,P1,2026-10-05,J0475,,2,11,,1333333333,1999999999,MD,,100.00
            C4,1,P1,2026-10-06,J0475,,2,11,,1333333333,1222222222,MD,,100.00
            """, mue: [edit])
        #expect(result.map(\.line.claimID).sorted() == ["C1", "C2"])
        let first = try #require(result.first { $0.line.claimID == "C1" })
        #expect(first.related?.claimID == "C2")
        #expect(first.message.text.contains("5 units"))
        #expect(first.message.text.contains("claim C2 line 1 (J0475): 2"))
    }

    @Test func professionalAndInstitutionalUnitsAreSummedApart() throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,95990,,1,11,,,1222222222,MD,,80.00
            F1,1,P1,2026-10-05,95990,,1,,131,,1222222222,,,200.00
            """)
        #expect(result.isEmpty)
    }

    @Test func modifierGDMakesAWarning() throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,95990,GD,1,11,,,1222222222,MD,,80.00
            C2,1,P1,2026-10-05,95990,,1,11,,,1222222222,MD,,80.00
            """)
        #expect(
            Dictionary(uniqueKeysWithValues: result.map { ($0.line.claimID, $0.severity) }) == [
                "C1": .warning, "C2": .error,
            ])
    }

    @Test func aLoadedValueOverridesTheBuiltInOne() throws {
        let edit = MUEEdit(
            code: "62370", maximumUnits: 2, indicator: .dateOfServiceClinical, rationale: "", source: "test.csv")
        #expect(try findings("C1,1,P1,2026-10-05,62370,,2,11,,,1222222222,MD,,80.00", mue: [edit]).isEmpty)
        #expect(try findings("C1,1,P1,2026-10-05,62370,,3,11,,,1222222222,MD,,80.00", mue: [edit]).count == 1)
    }
}
