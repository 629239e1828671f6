import ClaimIngest
import ClaimModel
import Testing

@testable import ClaimAudit

@Suite struct DrugWasteModifierRuleTests {
    private static let rule = DrugWasteModifierRule.self
    private static let header = RuleExample.standardHeader + ",payer"

    private func findings(_ rows: String, _ configuration: AuditConfiguration = .init()) throws -> [Finding] {
        let lines = try AuditHarness.lines(Self.header + "\n" + rows + "\n")
        return AuditEngine(configuration: configuration, rules: [Self.rule]).audit(lines).findings
    }

    /// One J0475 line per entry, each with the modifiers given, for one patient, date and provider.
    private func drugLines(_ modifiers: [String], npi: [String]? = nil, code: [String]? = nil) -> String {
        modifiers.enumerated().map { index, modifier in
            let provider = npi?[index] ?? "1111111112"
            return "C1,\(index + 1),P1,2026-10-05,\(code?[index] ?? "J0475"),\(modifier),1,11,,\(provider),"
                + "\(provider),MD,,20.00,"
        }.joined(separator: "\n")
    }

    @Test(arguments: [
        // Neither modifier and no JW line: error.
        ([""], [Severity.error]),
        // JZ alone, and an administered line beside a JW line: correct.
        (["JZ"], []),
        (["", "JW"], []),
        // JW with no administered line: warning.
        (["JW"], [.warning]),
        // JW and JZ on one line: error.
        (["JW:JZ"], [.error]),
        // JZ beside JW: both lines, each an error.
        (["JZ", "JW"], [.error, .error]),
        // An administered line, a JZ line and a JW line: the JZ and JW contradict; the plain line is explained.
        (["", "JZ", "JW"], [.error, .error]),
    ])
    func theModifiersOfOneDrugDecide(modifiers: [String], expected: [Severity]) throws {
        let result = try findings(drugLines(modifiers))
        #expect(result.map(\.severity).sorted { $0.rawValue < $1.rawValue } == expected, "\(modifiers)")
    }

    /// A file without a modifier column cannot show JW or JZ: its plain drug line is not
    /// flagged, while the same line of a file with the column is; a JW/JZ pair on one line
    /// still is wherever it comes from.
    @Test func anExportWithoutModifierColumnsIsNotReadAsLackingThem() throws {
        let lines = try AuditHarness.lines(Self.header + "\n" + drugLines([""]) + "\n")
        let file = try #require(lines.first?.source.file)
        var blind = AuditConfiguration()
        blind.filesWithoutModifiers = [file]
        let engine = AuditEngine(configuration: blind, rules: [Self.rule])
        #expect(engine.audit(lines).findings.isEmpty)
        #expect(AuditEngine(configuration: .init(), rules: [Self.rule]).audit(lines).findings.count == 1)
        var other = AuditConfiguration()
        other.filesWithoutModifiers = [file + ".other"]
        #expect(AuditEngine(configuration: other, rules: [Self.rule]).audit(lines).findings.count == 1)
        #expect(DrugWasteModifierRule.modifierNote.isMissing(from: ["claim_id", "hcpcs_code"]))
        #expect(!DrugWasteModifierRule.modifierNote.isMissing(from: ["hcpcs_modifier_1"]))
        #expect(!DrugWasteModifierRule.modifierNote.isMissing(from: ["modifiers"]))
    }

    @Test func aJZLineAndAJWLineNameEachOther() throws {
        let result = try findings(drugLines(["JZ", "JW"]))
        let byLine = Dictionary(uniqueKeysWithValues: result.map { ($0.line!.lineNumber ?? 0, $0) })
        #expect(byLine[1]?.related?.lineNumber == 2)
        #expect(byLine[2]?.related?.lineNumber == 1)
        #expect(byLine[1]?.message.text.contains("claim C1 line 2 (J0475)") == true)
        #expect(byLine[2]?.message.text.contains("claim C1 line 1 (J0475)") == true)
    }

    @Test func aJWLineOfAnotherProviderOrDrugExplainsNothing() throws {
        // Another rendering NPI: the JW line is not this provider's waste.
        let otherProvider = try findings(drugLines(["", "JW"], npi: ["1111111112", "1209384753"]))
        #expect(otherProvider.map(\.severity).sorted { $0.rawValue < $1.rawValue } == [.error, .warning])
        // Another drug: ziconotide's waste says nothing of baclofen.
        let otherDrug = try findings(drugLines(["", "JW"], code: ["J0475", "J2278"]))
        #expect(otherDrug.map(\.line!.code).sorted() == ["J0475", "J2278"])
    }

    @Test func linesBeforeRequiredFromAreNotRead() throws {
        let rows = { (date: String) in "C1,1,P1,\(date),J2278,,100,11,,1111111112,1111111112,MD,,300.00,Medicare" }
        #expect(try findings(rows("2023-06-30")).isEmpty)
        #expect(try findings(rows("2023-07-01")).map(\.severity) == [.error])
        var configuration = AuditConfiguration()
        configuration[settingsOf: Self.rule].requiredFrom = ServiceDate(year: 2024, month: 1, day: 1)!
        #expect(try findings(rows("2023-12-31"), configuration).isEmpty)
    }

    @Test func aPayerWithoutThePolicyHasNoSingleDoseDrugs() throws {
        var configuration = AuditConfiguration()
        configuration[settingsOf: Self.rule, payer: "Acme Health"].singleDoseDrugs = []
        let row = { (payer: String) in "C1,1,P1,2026-10-05,J0475,,2,11,,1111111112,1111111112,MD,,50.00,\(payer)" }
        #expect(try findings(row("Acme Health"), configuration).isEmpty)
        #expect(try findings(row("Medicare"), configuration).map(\.severity) == [.error])
        // The payer's own list opens the audit of its drug-only patients too.
        configuration[settingsOf: Self.rule, payer: "Acme Health"].singleDoseDrugs = ["J9999"]
        #expect(DrugWasteModifierRule(configuration: configuration).codesOpeningAudit.contains("J9999"))
    }

    @Test(arguments: [
        // Inpatient Part A, RHC, FQHC: the policy does not reach them.
        ("111", "", [Severity]()), ("711", "", []), ("771", "", []),
        // Hospital outpatient: the drug may be packaged, which the claim does not show.
        ("131", "", [.warning]),
        // An ASC line, the same; an office line, an error.
        ("", "24", [.warning]), ("", "11", [.error]),
    ])
    func whereTheDrugWasGivenDecidesTheSeverity(billType: String, place: String, expected: [Severity]) throws {
        let rendering = billType.isEmpty ? "1111111112" : ""
        let row = "C1,1,P1,2026-10-05,J0475,,2,\(place),\(billType),\(rendering),1444444446,,,50.00,"
        #expect(try findings(row).map(\.severity) == expected, "\(billType) \(place)")
    }

    /// A patient with a single-dose drug and no pump service is audited; one with
    /// another drug alone is set aside, as before.
    @Test func aSingleDoseDrugLineOpensItsPatientsAudit() throws {
        let lines = try AuditHarness.lines(
            Self.header + "\n"
                + "C1,1,P1,2026-10-05,J0475,,2,11,,1111111112,1111111112,MD,,50.00,\n"
                + "C2,1,P2,2026-10-05,J1170,,1,23,,1111111112,1111111112,MD,,30.00,\n")
        let engine = AuditEngine(configuration: AuditConfiguration())
        #expect(engine.codesOpeningAudit.isSuperset(of: ["J0475", "J0476", "J2278", "J2274"]))
        let outcome = engine.audit(lines)
        #expect(outcome.linesAudited == 1)
        #expect(outcome.linesWithoutPumpService == 1)
        #expect(outcome.findings.contains { $0.ruleID == "drug_waste_modifier" && $0.line!.claimID == "C1" })
        // Without the rule, the drug-only patient is set aside.
        var off = AuditConfiguration()
        off.disabledRules = ["drug_waste_modifier"]
        #expect(AuditEngine(configuration: off).codesOpeningAudit == ["J0475", "J2278"])
    }

    @Test func theDefaultSettingsReadBack() throws {
        let declarations = DrugWasteModifierRule.settingDeclarations
        let required = try #require(declarations.first { $0.key == "required_from" })
        #expect(required.defaultText == "2023-07-01")
        #expect(throws: SettingInput.Problem.self) { try required.read(SettingInput(.text("2023-7-1"), line: 3)) }
        let date = try required.read(SettingInput(.text("2023-10-01"), line: 3)) as? ServiceDate
        #expect(date == ServiceDate(year: 2023, month: 10, day: 1))
    }
}
