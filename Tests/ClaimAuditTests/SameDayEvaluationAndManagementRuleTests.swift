import ClaimAudit
import ClaimModel
import Testing

@Suite struct SameDayEvaluationAndManagementRuleTests {
    private func findings(_ rows: String, _ configuration: AuditConfiguration = AuditConfiguration()) throws
        -> [Finding]
    {
        try AuditHarness.audit(rows, rules: [SameDayEvaluationAndManagementRule.self], configuration: configuration)
    }

    static let pumpCodes = CodeTable.pumpServiceCodes
    static let visits = ["99202", "99205", "99211", "99213", "99215"]

    @Test(arguments: pumpCodes, visits)
    func aVisitWithoutModifier25BesideAPumpServiceIsAWarning(pump: String, visit: String) throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,\(pump),,1,11,,1111111112,,MD,,100.00
            C2,1,P1,2026-10-05,\(visit),,1,11,,1111111112,,MD,,90.00
            """)
        #expect(result.count == 1)
        #expect(result.first?.line?.code == visit)
        #expect(result.first?.related?.code == pump)
        #expect(result.first?.severity == .warning)
        #expect(result.first?.citation.contains("NCCI Policy Manual") == true)
        #expect(result.first?.message.text.contains("claim C1 line 1 (\(pump))") == true)
    }

    @Test func modifier25SilencesIt() throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111112,,MD,,100.00
            C2,1,P1,2026-10-05,99214,25,1,11,,1111111112,,MD,,90.00
            C3,1,P1,2026-10-05,99213,"59,25",1,11,,1111111112,,MD,,90.00
            """)
        #expect(result.isEmpty)
    }

    @Test(arguments: ["59", "XE", "XS", "XP", "XU"])
    func modifier59AndTheXModifiersDoNotStandFor25(modifier: String) throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,95990,,1,11,,1111111112,,MD,,100.00
            C2,1,P1,2026-10-05,99213,\(modifier),1,11,,1111111112,,MD,,90.00
            """)
        #expect(result.count == 1)
        #expect(result.first?.message.text.contains("modifier \(modifier) does not stand for 25") == true)
    }

    @Test func otherProvidersDatesPatientsAndFacilityLinesAreLeftAlone() throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111112,,MD,,100.00
            C2,1,P1,2026-10-05,99213,,1,11,,1333333338,,MD,,90.00
            C3,1,P1,2026-10-06,99213,,1,11,,1111111112,,MD,,90.00
            C4,1,P2,2026-10-05,99213,,1,11,,1111111112,,MD,,90.00
            F1,1,P3,2026-10-05,62369,,1,,131,,1444444446,,,300.00
            F1,2,P3,2026-10-05,99213,,1,,131,,1444444446,,,150.00
            """)
        #expect(result.isEmpty)
    }

    @Test func theProviderIsTheRenderingNPIElseTheBillingNPI() throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,,1222222220,MD,,100.00
            C2,1,P1,2026-10-05,99213,,1,11,,,1222222220,MD,,90.00
            C3,1,P1,2026-10-05,99214,,1,11,,1111111112,1222222220,MD,,90.00
            """)
        #expect(result.map(\.line!.code) == ["99213"])
    }

    @Test func theModifierIsASetting() throws {
        var configuration = AuditConfiguration()
        configuration[settingsOf: SameDayEvaluationAndManagementRule.self].evaluationAndManagementModifier = "57"
        let result = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111112,,MD,,100.00
            C2,1,P1,2026-10-05,99214,25,1,11,,1111111112,,MD,,90.00
            C3,1,P1,2026-10-05,99213,57,1,11,,1111111112,,MD,,90.00
            """, configuration)
        #expect(result.map(\.line!.code) == ["99214"])
    }
}
