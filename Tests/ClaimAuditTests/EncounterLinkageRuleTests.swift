import ClaimIngest
import ClaimModel
import Testing

@testable import ClaimAudit

@Suite struct EncounterLinkageRuleTests {
    private static let rule = EncounterLinkageRule.self
    private static let header = RuleExample.standardHeader + ",payer"

    private func lines(_ rows: String, file: String = "example.csv") throws -> [ClaimLine] {
        try AuditHarness.lines(Self.header + "\n" + rows + "\n", file: file)
    }

    private func findings(
        _ rows: String, history: String? = nil, _ configuration: AuditConfiguration = .init()
    ) throws -> [Finding] {
        let past = try history.map { try lines($0, file: "history.csv") } ?? []
        return AuditEngine(configuration: configuration, rules: [Self.rule]).audit(try lines(rows), history: past)
            .findings
    }

    @Test func theRefillMayBeOnAnyClaimByAnyProviderInAnyFile() throws {
        // The facility bills the drug, the physician the refill, in two files of one run.
        let drug = try lines(
            "F1,1,P1,2026-10-05,J2278,JZ,100,,131,,1444444446,,,300.00,", file: "facility.csv")
        let refill = try lines(
            "C1,1,P1,2026-10-05,95991,,1,22,,1209384753,1209384753,MD,deep pump,95.00,", file: "physician.csv")
        let engine = AuditEngine(configuration: AuditConfiguration(), rules: [Self.rule])
        #expect(engine.audit(drug + refill).findings.isEmpty)
        // Without the physician's file, the drug has lost its refill.
        let alone = engine.audit(drug).findings
        #expect(alone.map(\.severity) == [.warning])
        #expect(alone.first?.message.text.contains("no refill (62369, 62370, 95990, 95991)") == true)
    }

    @Test func theRefillMayBeInTheHistoryStore() throws {
        let drug = "C2,1,P1,2026-10-05,J0475,JZ,3,11,,1111111112,1111111112,MD,,70.00,"
        #expect(try findings(drug).map(\.severity) == [.warning])
        #expect(
            try findings(drug, history: "C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00,").isEmpty)
        // A refill of another date explains nothing.
        #expect(
            try findings(drug, history: "C1,1,P1,2026-10-04,62369,,1,11,,1111111112,1111111112,MD,,120.00,").count == 1)
    }

    @Test(arguments: [
        // The analyses without a refill do not fill the pump.
        ("62367", true), ("62368", true),
        ("62369", false), ("62370", false), ("95990", false), ("95991", false),
    ])
    func onlyARefillExplainsTheDrug(service: String, flagged: Bool) throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,\(service),,1,22,,1111111112,1111111112,MD,deep pump,100.00,
            C1,2,P1,2026-10-05,J1170,JZ,1,22,,1111111112,1111111112,MD,,30.00,
            """)
        #expect(result.contains { $0.line!.code == "J1170" } == flagged, "\(service)")
    }

    @Test func aDrugGivenByOtherRoutesIsReadOnlyForAPumpPatient() throws {
        // Hydromorphone in an emergency room, for a patient with no pump service on record.
        let emergency = "C1,1,P1,2026-10-05,J1170,,1,23,,1111111112,1111111112,MD,,30.00,"
        #expect(try findings(emergency).isEmpty)
        // The same line for a patient whose pump was refilled last month.
        let pumpPatient = try findings(
            emergency, history: "C0,1,P1,2026-09-05,95990,,1,11,,1111111112,1111111112,MD,,80.00,")
        #expect(pumpPatient.map(\.line!.code) == ["J1170"])
        // Baclofen 10 mg goes only into a pump: read without a pump service on record.
        #expect(try findings("C1,1,P1,2026-10-05,J0475,JZ,3,11,,1111111112,1111111112,MD,,70.00,").count == 1)
        // The baclofen trial dose is given before a pump exists.
        #expect(try findings("C1,1,P1,2026-10-05,J0476,JZ,1,11,,1111111112,1111111112,MD,,30.00,").isEmpty)
    }

    @Test func anOfficeRefillWithoutADrugIsNotedUnlessThePayerSaysOtherwise() throws {
        let refill = { (place: String, payer: String) in
            "C1,1,P1,2026-10-05,95990,,1,\(place),,1111111112,1111111112,RN,,80.00,\(payer)"
        }
        #expect(try findings(refill("11", "Medicare")).map(\.severity) == [.info])
        // A hospital outpatient refill: the facility bills the drug, which this run may not hold.
        #expect(try findings(refill("22", "Medicare")).isEmpty)
        // The drug on another claim, or in the history store, answers it.
        let withDrug = refill("11", "Medicare") + "\nC2,1,P1,2026-10-05,J0475,JZ,3,11,,1111111112,1111111112,MD,,70.00,"
        #expect(try findings(withDrug).isEmpty)
        #expect(
            try findings(
                refill("11", "Medicare"),
                history: "C0,1,P1,2026-10-05,J2274,JZ,1,11,,1111111112,1111111112,MD,,40.00,"
            ).isEmpty)
        var configuration = AuditConfiguration()
        configuration[settingsOf: Self.rule, payer: "Acme Health"].expectDrugInOffice = false
        #expect(try findings(refill("11", "Acme Health"), configuration).isEmpty)
        #expect(try findings(refill("11", "Medicare"), configuration).map(\.severity) == [.info])
        // An institutional refill is never the subject.
        #expect(try findings("F1,1,P1,2026-10-05,95990,,1,,131,,1444444446,,,80.00,").isEmpty)
    }

    @Test func expectDrugInOfficeReadsTrueOrFalse() throws {
        let declaration = try #require(
            EncounterLinkageRule.settingDeclarations.first { $0.key == "expect_drug_in_office" })
        #expect(declaration.defaultText == "true")
        #expect(try declaration.read(SettingInput(.text("False"), line: 2)) as? Bool == false)
        #expect(throws: SettingInput.Problem.self) { try declaration.read(SettingInput(.text("no"), line: 2)) }
    }

    @Test func theRulesCodesReachIngest() {
        let rule = EncounterLinkageRule(configuration: AuditConfiguration())
        // J3490 belongs to no code family: the scope must take it from the setting.
        #expect(CodeFamily(code: "J3490") == .other)
        #expect(rule.codesRead.isSuperset(of: ["J3490", "J7999", "62369", "95991"]))
        #expect(AuditEngine(configuration: AuditConfiguration()).codesInScope.contains("J3490"))
        #expect(rule.codesOpeningAudit == ["J0475", "J2278"])
    }
}
