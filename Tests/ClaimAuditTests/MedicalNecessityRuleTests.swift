import ClaimIngest
import ClaimModel
import Testing

@testable import ClaimAudit

@Suite struct MedicalNecessityRuleTests {
    private static let rule = MedicalNecessityRule.self
    private static let header = RuleExample.standardHeader + ",diagnosis_code_1,diagnosis_code_2,payer"

    private func findings(_ rows: String, header: String = Self.header, _ configuration: AuditConfiguration = .init())
        throws -> [Finding]
    {
        let lines = try AuditHarness.lines(header + "\n" + rows + "\n")
        return AuditEngine(configuration: configuration, rules: [Self.rule]).audit(lines).findings
    }

    @Test(arguments: [
        ("G89.4", true), ("g894", true), ("G89", true), ("G8", false), ("M54.50", true), ("C79.51", true),
        ("D49.9", true), ("D50.0", false), ("S14.109A", true), ("S14.2", false), ("Z45.1", true), ("Z45.2", false),
        ("E11.9", false), ("", false),
    ])
    func aListEntryIsAPrefixOfTheCodeWithoutItsDot(code: String, supported: Bool) {
        let list = MedicalNecessityRule.Settings().supportingDiagnoses
        #expect(MedicalNecessityRule.isSupported(code, by: list) == supported, "\(code)")
    }

    @Test func aLineWithoutDiagnosesTakesItsClaims() throws {
        // Line 2 has none; line 1 of its claim has a supporting one, so both are fine.
        let supported = try findings(
            """
            C1,1,P1,2026-10-05,J0475,,1,11,,1111111112,1111111112,MD,,80.00,G35,,
            C1,2,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00,,,
            """)
        #expect(supported.isEmpty)
        // Another claim's diagnoses do not count: the line's claim carries none.
        let otherClaim = try findings(
            """
            C1,1,P1,2026-10-05,J0475,,1,11,,1111111112,1111111112,MD,,80.00,G35,,
            C2,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00,,,
            """)
        #expect(otherClaim.map(\.severity) == [.error])
        #expect(otherClaim.first?.line?.claimID == "C2")
        #expect(otherClaim.first?.message.text.contains("no line of claim C2") == true)
    }

    @Test func aLinesOwnDiagnosesComeBeforeItsClaims() throws {
        // The claim's other line supports the service, but this line names its own, unsupported.
        let result = try findings(
            """
            C1,1,P1,2026-10-05,J0475,,1,11,,1111111112,1111111112,MD,,80.00,G35,,
            C1,2,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00,E11.9,,
            """)
        #expect(result.map(\.severity) == [.warning])
        #expect(result.first?.message.text.contains("(E11.9)") == true)
    }

    @Test func anExportWithoutDiagnosisColumnsIsNeverFlagged() throws {
        let result = try findings(
            "C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00", header: RuleExample.standardHeader)
        #expect(result.isEmpty)
        #expect(MedicalNecessityRule.description.inputNotes.map(\.field) == ["diagnosis_code_1"])
    }

    @Test func aPayersListReplacesTheDefault() throws {
        var configuration = AuditConfiguration()
        configuration[settingsOf: Self.rule, payer: "Acme Health"].supportingDiagnoses = ["E11"]
        let rows = { (payer: String) in
            "C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00,E11.9,,\(payer)\n"
                + "C2,1,P2,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00,G89.4,,\(payer)"
        }
        #expect(try findings(rows("Medicare"), configuration).map(\.line!.claimID) == ["C1"])
        #expect(try findings(rows("Acme Health"), configuration).map(\.line!.claimID) == ["C2"])
    }

    @Test func servicesOtherThanPumpsAreNeverTheSubject() throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,99214,,1,11,,1111111112,1111111112,MD,,110.00,,,
            C2,1,P1,2026-10-05,J0475,,1,11,,1111111112,1111111112,MD,,80.00,E11.9,,
            """)
        #expect(result.isEmpty)
    }
}
