import ClaimAudit
import ClaimIngest
import ClaimModel
import Foundation
import TestSupport
import Testing

@Suite struct CMSReferenceFileTests {
    @Test func readsThePTPTextFileWithItsPreamble() throws {
        let edits = try CMSReferenceFiles.loadPTP(sampleFile("reference/ptp_practitioner_sample.txt"))
        #expect(edits.count == 4)
        let first = try #require(edits.first)
        #expect(first.column1 == "62369")
        #expect(first.column2 == "62368")
        #expect(first.effective.description == "2004-01-01")
        #expect(first.deleted == nil)
        #expect(first.modifierIndicator == .allowed)
        #expect(first.source == "ptp_practitioner_sample.txt")
        #expect(edits[1].deleted?.description == "2026-09-01")
        #expect(edits[2].modifierIndicator == .notApplicable)
    }

    @Test func readsAPTPFileSavedAsCSV() throws {
        let scratch = ScratchFolder()
        let file = scratch.write(
            "ptp.csv",
            """
            "Medicare NCCI PTP, exported from the spreadsheet"
            Column 1,Column 2,*=in existence prior to 1996,Effective Date,Deletion Date *=no data,Modifier 0=not allowed 1=allowed 9=not applicable,PTP Edit Rationale
            62370,62369,,20040101,*,0,"Misuse of column two code with column one code"
            """)
        let edits = try CMSReferenceFiles.loadPTP(file)
        #expect(edits.map { "\($0.column1)/\($0.column2)" } == ["62370/62369"])
    }

    @Test func readsTheMUEFileWithItsCopyrightPreamble() throws {
        let edits = try CMSReferenceFiles.loadMUE(sampleFile("reference/mue_practitioner_sample.csv"))
        #expect(edits.map(\.code) == ["62370", "95990", "J0475"])
        #expect(edits.map(\.maximumUnits) == [2, 1, 8])
        #expect(edits.map(\.indicator) == [.dateOfServiceClinical, .line, .dateOfServiceClinical])
    }

    @Test func aFileInAnotherLayoutIsToldClearly() throws {
        let scratch = ScratchFolder()
        let file = scratch.write("claims.csv", "claim_id,person_id\nC1,P1\n")
        #expect {
            try CMSReferenceFiles.loadPTP(file)
        } throws: { error in
            "\(error)".contains("not an NCCI PTP edit file") && "\(error)".contains("Column 1")
        }
        #expect {
            try CMSReferenceFiles.loadMUE(file)
        } throws: { error in
            "\(error)".contains("not a CMS practitioner MUE file")
        }
    }

    @Test func aBadRowNamesItsLineAndColumn() throws {
        let scratch = ScratchFolder()
        let file = scratch.write(
            "ptp.txt",
            "Column 1\tColumn 2\tx\tEffective Date\tDeletion Date\tModifier\tRationale\n62370\t62369\t\t2004-01-01\t*\t0\tx\n"
        )
        #expect {
            try CMSReferenceFiles.loadPTP(file)
        } throws: { error in
            "\(error)".contains("ptp.txt:2") && "\(error)".contains("Effective Date")
        }
    }
}

private let unbundling = UnbundlingRule.description.identifier
private let mueExcess = MUEExcessRule.description.identifier
/// Office refills without a drug line, which encounter_linkage notes; not what these tests measure.
private let encounterLinkage = EncounterLinkageRule.description.identifier

@Suite struct AuditEngineTests {
    @Test func linesOfPatientsWithoutAPumpServiceAreSetAside() throws {
        let lines = try AuditHarness.rows(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111112,,MD,,100.00
            C2,1,P1,2026-10-05,A4220,,1,11,,1111111112,,MD,,80.00
            C3,1,P2,2026-10-05,99213,,1,11,,1111111112,,MD,,80.00
            C4,1,P2,2026-10-05,J1170,,1,11,,1111111112,,MD,,80.00
            """)
        let outcome = AuditEngine().audit(lines)
        #expect(outcome.linesAudited == 2)
        #expect(outcome.linesWithoutPumpService == 2)
        #expect(outcome.findings.filter { $0.ruleID != encounterLinkage }.map(\.line!.claimID) == ["C2"])
    }

    @Test func historyLinesAreContextNeverSubjects() throws {
        let current = try AuditHarness.rows("C2,1,P1,2026-10-05,95990,,1,11,,1111111112,,MD,,80.00")
        let history = try AuditHarness.rows("C1,1,P1,2026-10-05,62369,,1,11,,1111111112,,MD,,100.00")
        let findings = AuditEngine().audit(current, history: history).findings.filter { $0.ruleID != encounterLinkage }
        #expect(findings.map(\.line!.claimID) == ["C2"])
        #expect(findings.first?.related?.claimID == "C1")
        // Reversed, the bundled line is history: nothing to report on this run.
        #expect(
            AuditEngine().audit(history, history: current).findings.filter { $0.ruleID != encounterLinkage }.isEmpty)
    }

    @Test func onlyReportableLinesGetFindings() throws {
        let lines = try AuditHarness.rows(
            """
            C1,1,P1,2026-09-30,62370,,2,11,,1111111112,,MD,deep pump under fluoroscopy,100.00
            C2,1,P1,2026-10-05,62370,,2,11,,1111111112,,MD,deep pump under fluoroscopy,100.00
            """)
        let october = ServiceDate(year: 2026, month: 10, day: 1)!
        let findings = AuditEngine().audit(lines) { $0.serviceDate >= october }.findings
        #expect(Set(findings.map(\.line!.claimID)) == ["C2"])
    }

    @Test func disabledRulesDoNotRunAndOverridesChangeSeverity() throws {
        let rows = """
            C1,1,P1,2026-10-05,62369,,2,11,,1111111112,,MD,,100.00
            C1,2,P1,2026-10-05,62368,,1,11,,1111111112,,MD,,80.00
            """
        var configuration = AuditConfiguration()
        configuration.disabledRules = [unbundling]
        configuration.severityOverrides = [mueExcess: .warning]
        let findings = AuditEngine(configuration: configuration).audit(try AuditHarness.rows(rows)).findings
        #expect(findings.filter { $0.ruleID != encounterLinkage }.map(\.ruleID) == [mueExcess])
        #expect(findings.filter { $0.ruleID != encounterLinkage }.map(\.severity) == [.warning])
    }

    @Test func theSampleClaimsTripBothRules() throws {
        let lines = try sampleClaimLines()
        let findings = AuditEngine().audit(lines).findings
        let rules = Set(findings.map(\.ruleID))
        #expect(rules.isSuperset(of: [unbundling, mueExcess]))
        // No CMS edit pairs a pump code with an E/M visit: the samples' visits are no unbundling.
        #expect(!findings.contains { $0.ruleID == unbundling && $0.line!.family == .evaluationAndManagement })
        #expect(findings.contains { $0.ruleID == unbundling && $0.severity == .error })
        #expect(findings.contains { $0.ruleID == mueExcess && $0.severity == .warning })
    }

    @Test func loadedReferenceFilesChangeTheSampleResults() throws {
        let lines = try sampleClaimLines()
        var reference = ReferenceData.builtIn
        reference.practitionerPTP.load(
            try CMSReferenceFiles.loadPTP(sampleFile("reference/ptp_practitioner_sample.txt")), from: "ptp")
        reference.practitionerMUE.load(
            try CMSReferenceFiles.loadMUE(sampleFile("reference/mue_practitioner_sample.csv")), from: "mue")
        let builtIn = AuditEngine().audit(lines).findings
        let loaded = AuditEngine(configuration: AuditConfiguration(reference: reference)).audit(lines).findings
        func has(_ findings: [Finding], rule: String, codes: Set<String>) -> Bool {
            findings.contains { $0.ruleID == rule && codes == [$0.line!.code, $0.related?.code ?? $0.line!.code] }
        }
        // 62369/95990 is deleted from 2026-09-01 by the loaded file.
        #expect(has(builtIn, rule: unbundling, codes: ["95990", "62369"]))
        #expect(!has(loaded, rule: unbundling, codes: ["95990", "62369"]))
        // 62370 may have 2 units a day (MAI 3) in the loaded file.
        #expect(builtIn.contains { $0.ruleID == mueExcess && $0.line!.code == "62370" })
        #expect(!loaded.contains { $0.ruleID == mueExcess && $0.line!.code == "62370" })
    }
}
