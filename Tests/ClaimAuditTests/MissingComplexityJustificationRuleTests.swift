import ClaimAudit
import ClaimIngest
import ClaimModel
import Foundation
import Testing

@Suite struct MissingComplexityJustificationRuleTests {
    private func findings(_ rows: String, _ configuration: AuditConfiguration = AuditConfiguration()) throws
        -> [Finding]
    {
        try AuditHarness.audit(rows, rules: [MissingComplexityJustificationRule.self], configuration: configuration)
    }

    /// One professional line of `code` rendered by `credential` with `note`.
    private func line(_ code: String = "62370", credential: String = "MD", note: String) -> String {
        "C1,1,P1,2026-10-05,\(code),,1,11,,1111111112,1111111112,\(quoted(credential)),\(quoted(note)),150.00"
    }

    private func quoted(_ cell: String) -> String {
        "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static let goodNote = "Ultrasound-guided access, deep pump pocket, BMI 41"

    @Test(arguments: ["62370", "95991"])
    func theSkillCodesNeedANote(code: String) throws {
        let result = try findings(line(code, note: ""))
        #expect(result.map(\.severity) == [.error])
        #expect(result.first?.message.text.contains("justification is empty") == true)
        #expect(result.first?.amountAtRisk == Money(cents: 15000))
        #expect(try findings(line(code, note: Self.goodNote)).isEmpty)
    }

    @Test(arguments: ["62367", "62368", "62369", "95990"])
    func otherPumpCodesNeverTripIt(code: String) throws {
        #expect(try findings(line(code, credential: "RN", note: "")).isEmpty)
        #expect(try findings(line(code, credential: "MA", note: "N/A")).isEmpty)
    }

    @Test(arguments: [
        "N/A", "n/a.", "  NA ", "None", "-", ".", "...", "See note", "see  chart.", "COMPLEX", "Complex!",
        "Per protocol", "as above;",
    ])
    func placeholdersAreErrorsQuotingTheText(note: String) throws {
        let result = try findings(line(note: note))
        #expect(result.map(\.severity) == [.error], "\(note)")
        let message = try #require(result.first?.message.text)
        #expect(message.contains("placeholder"), "\(message)")
        #expect(message.contains("\"\(note.trimmingEndSpaces)\""), "\(message)")
    }

    @Test(arguments: [
        ("flipped pump", false), ("flipped pumps", true), ("refill ok", false), ("BMI 41; deep", false),
        ("Deep pocket, obese", true),
    ])
    func aNoteNeedsTwelveLetters(note: String, passes: Bool) throws {
        let result = try findings(line(note: note))
        #expect(result.isEmpty == passes, "\(note)")
        if !passes {
            #expect(result.first?.message.text.contains("letters, too few") == true)
        }
    }

    @Test func withoutAJustificationColumnEverySkillLineFires() throws {
        let header =
            "claim_id,claim_line_number,person_id,claim_line_start_date,hcpcs_code,rendering_credential,paid_amount"
        let lines = try AuditHarness.lines(
            """
            \(header)
            C1,1,P1,2026-10-05,62370,MD,150.00
            C2,1,P2,2026-10-05,95991,DO,95.00
            C3,1,P3,2026-10-05,62369,MD,120.00
            C4,1,P4,2026-10-05,95990,RN,80.00
            """)
        let result = AuditEngine(configuration: AuditConfiguration(), rules: [MissingComplexityJustificationRule.self])
            .audit(lines).findings
        #expect(result.map(\.line!.claimID) == ["C1", "C2"])
        #expect(result.allSatisfy { $0.message.text.contains("no justification column") })
    }

    @Test(arguments: [
        "RN", "R.N.", "rn", "LPN", "LVN", "MA", "CMA", "Tech", "technician", "Medical Assistant",
        "RN, BSN", "Registered Nurse",
    ])
    func aNonQHPCredentialFiresWhateverTheNote(credential: String) throws {
        let result = try findings(line(credential: credential, note: Self.goodNote))
        #expect(result.map(\.severity) == [.error], "\(credential)")
        let message = try #require(result.first?.message.text)
        #expect(message.contains("rendered by \"\(credential)\", who is not a physician or QHP"))
        #expect(message.contains(Self.goodNote))
        #expect(!message.contains("placeholder"))
    }

    @Test(arguments: [
        "MD", "M.D.", "DO", "D.O.", "NP", "PA", "PA-C", "CNS", "APRN", "CRNA", "RN, NP", "MD/PhD",
        "Nurse Practitioner",
    ])
    func aQHPCredentialWithAGoodNoteIsSilent(credential: String) throws {
        #expect(try findings(line(credential: credential, note: Self.goodNote)).isEmpty, "\(credential)")
        #expect(try findings(line(credential: credential, note: "N/A")).count == 1, "the note still counts")
    }

    @Test(arguments: ["", "PharmD", "RT", "Pump Specialist"])
    func anUnknownOrAbsentCredentialLeavesItToTheNote(credential: String) throws {
        #expect(try findings(line(credential: credential, note: Self.goodNote)).isEmpty, "\(credential)")
        let result = try findings(line(credential: credential, note: "see note"))
        #expect(result.count == 1)
        #expect(result.first?.message.text.contains("rendered by") == false)
    }

    @Test func bothFailingMakeOneFindingNamingBoth() throws {
        let result = try findings(line("95991", credential: "LPN", note: "N/A"))
        #expect(result.count == 1)
        let message = try #require(result.first?.message.text)
        #expect(message.contains("\"N/A\" is a placeholder"))
        #expect(message.contains("rendered by \"LPN\""))
    }

    @Test func institutionalLinesAreNotChecked() throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,120.00
            F1,1,P1,2026-10-05,62370,,1,,131,,1444444446,,,300.00
            F1,2,P1,2026-10-05,95991,,1,,131,,1444444446,RN,N/A,300.00
            """)
        #expect(result.isEmpty)
    }

    @Test func theListsAndTheMinimumAreSettings() throws {
        var configuration = AuditConfiguration()
        configuration[settingsOf: MissingComplexityJustificationRule.self].placeholders.insert("Stable pump; routine")
        configuration[settingsOf: MissingComplexityJustificationRule.self].minimumLetters = 3
        configuration[settingsOf: MissingComplexityJustificationRule.self].unqualifiedCredentials.remove("RN")
        configuration[settingsOf: MissingComplexityJustificationRule.self].qualifiedCredentials.insert("R.Ph.")
        configuration[settingsOf: MissingComplexityJustificationRule.self].unqualifiedCredentials.insert("PharmD")
        #expect(try findings(line(note: "stable pump; routine."), configuration).count == 1)
        // One letter more than the longest placeholder: judged by its length alone.
        #expect(try findings(line(note: "stable pumps; routine."), configuration).isEmpty)
        var strict = AuditConfiguration()
        strict[settingsOf: MissingComplexityJustificationRule.self].minimumLetters = 20
        strict[settingsOf: MissingComplexityJustificationRule.self].placeholders.insert("vérifié, sans détail")
        #expect(try findings(line(note: "Routine refill, done"), strict).count == 1)  // 17 letters
        #expect(try findings(line(note: "Routine refill, done well"), strict).isEmpty)  // 21 letters
        #expect(
            try findings(line(note: "Vérifié, sans détail."), strict).first?.message.text.contains("placeholder")
                == true)
        #expect(try findings(line(note: "deep pump"), configuration).isEmpty)
        #expect(try findings(line(note: "ok"), configuration).count == 1)
        #expect(try findings(line(credential: "RN", note: Self.goodNote), configuration).isEmpty)
        #expect(try findings(line(credential: "RPh", note: Self.goodNote), configuration).isEmpty)
        #expect(try findings(line(credential: "Pharm.D.", note: Self.goodNote), configuration).count == 1)
    }

    @Test func theSampleClaimsTripEveryCase() throws {
        let findings = AuditEngine(
            configuration: AuditConfiguration(), rules: [MissingComplexityJustificationRule.self]
        )
        .audit(try sampleClaimLines()).findings
        let byPatient = Dictionary(grouping: findings, by: \.line!.patientID).mapValues { $0.map(\.message.text) }
        let expected: [String: String] = [
            "PT-10041": "justification is empty",
            "PT-10042": "\"N/A\" is a placeholder",
            "PT-10043": "\"complex\" is a placeholder",
            "PT-10044": "rendered by \"RN\"",
            "PT-20003": "\"see chart\" is a placeholder",
            // 06_practice_export_2026-11.csv.gz, read through gzip.
            "PT-20002": "justification is empty",
            "BENE000124": "no justification column",
            // 07_desynpuf_carrier_wide.csv, line 1 of a wide row.
            "7A1C0E5F3B2D9003": "no justification column",
        ]
        #expect(Set(byPatient.keys) == Set(expected.keys), "clean sample lines must stay clean")
        for (patient, text) in expected {
            #expect(byPatient[patient]?.count == 1, "\(patient)")
            #expect(byPatient[patient]?.first?.contains(text) == true, "\(patient): \(byPatient[patient] ?? [])")
        }
    }
}

/// Every row of the files in SampleClaims/ that ingest accepts.
extension String {
    /// Without leading and trailing spaces, as ingest reads a cell.
    fileprivate var trimmingEndSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
