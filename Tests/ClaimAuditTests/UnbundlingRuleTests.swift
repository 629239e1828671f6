import ClaimAudit
import ClaimModel
import Testing

@Suite struct UnbundlingRuleTests {
    private func findings(_ rows: String, _ configuration: AuditConfiguration = AuditConfiguration()) throws
        -> [Finding]
    {
        try AuditHarness.audit(rows, rules: [UnbundlingRule.self], configuration: configuration)
    }

    private func date(_ text: String) -> ServiceDate {
        let parts = text.split(separator: "-").map { Int($0)! }
        return ServiceDate(year: parts[0], month: parts[1], day: parts[2])!
    }

    private func edit(
        _ c1: String, _ c2: String, _ indicator: PTPEdit.ModifierIndicator, from: String = "2000-01-01",
        deleted: String? = nil
    ) -> PTPEdit {
        PTPEdit(
            column1: c1, column2: c2, effective: date(from), deleted: deleted.map(date), modifierIndicator: indicator,
            rationale: "test", source: "test.txt")
    }

    private func configuration(_ edits: [PTPEdit]) -> AuditConfiguration {
        var reference = ReferenceData.builtIn
        reference.practitionerPTP.load(edits, from: "test.txt")
        return AuditConfiguration(reference: reference)
    }

    @Test func everyBuiltInPairFiresOnItsColumnTwoLine() throws {
        // The pump pairs and the refill kit, in the CMS column order (practitioner, 2024-07-01).
        let pairs = [
            ("62370", "62367"), ("62370", "62368"), ("62370", "62369"), ("62369", "62368"), ("62369", "62367"),
            ("62368", "62367"), ("95990", "62367"), ("95990", "62368"), ("95991", "62367"), ("95991", "62368"),
            ("62369", "95990"), ("62369", "95991"), ("62370", "95990"), ("62370", "95991"), ("95991", "95990"),
            ("62369", "A4220"), ("62370", "A4220"), ("95990", "A4220"), ("95991", "A4220"),
        ]
        for (column1, column2) in pairs {
            let result = try findings(
                """
                C1,1,P1,2026-10-05,\(column1),,1,11,,1111111112,,MD,,100.00
                C2,1,P1,2026-10-05,\(column2),XU,1,11,,1111111112,,MD,,80.00
                """)
            #expect(result.count == 1, "\(column1)/\(column2)")
            #expect(result.first?.line?.code == column2)
            #expect(result.first?.related?.code == column1)
            #expect(result.first?.severity == .error, "indicator 0 ignores XU")
            #expect(result.first?.message.text.contains("claim C1 line 1") == true)
            #expect(result.first?.amountAtRisk == Money(cents: 8000))
            #expect(result.first?.message.text.contains("built-in NCCI practitioner PTP 2024-07-01") == true)
        }
    }

    @Test func theFindingFollowsTheCMSColumnOrder() throws {
        // 95990 is column 1 over 62368, but column 2 under 62369.
        for (first, second, flagged) in [("95990", "62368", "62368"), ("62369", "95990", "95990")] {
            for (a, b) in [(first, second), (second, first)] {
                let result = try findings(
                    """
                    C1,1,P1,2026-10-05,\(a),,1,11,,1111111112,,MD,,100.00
                    C1,2,P1,2026-10-05,\(b),,1,11,,1111111112,,MD,,80.00
                    """)
                #expect(result.map(\.line!.code) == [flagged], "\(a) then \(b)")
            }
        }
    }

    @Test func noBuiltInEditPairsAPumpCodeWithAnEMVisit() throws {
        let visits = (99202...99205).map(String.init) + (99211...99215).map(String.init)
        let pumpCodes = Set(CodeTable.pumpServiceCodes)
        let day = date("2026-10-05")
        for table in [ReferenceData.builtIn.practitionerPTP, ReferenceData.builtIn.outpatientPTP] {
            let active = table.edits.filter { edit in
                edit.applies(on: day)
                    && (pumpCodes.contains(edit.column1) && visits.contains(edit.column2)
                        || pumpCodes.contains(edit.column2) && visits.contains(edit.column1))
            }
            #expect(active.isEmpty, "\(table.setting.name)")
        }
        for pump in CodeTable.pumpServiceCodes {
            for visit in visits {
                let result = try findings(
                    """
                    C1,1,P1,2026-10-05,\(pump),,1,11,,1111111112,,MD,,100.00
                    C2,1,P1,2026-10-05,\(visit),,1,11,,1111111112,,MD,,80.00
                    """)
                #expect(result.isEmpty, "\(pump) with \(visit) and no modifier 25")
            }
        }
    }

    @Test func theRefillKitSurvivesIngestAndIsBundledIntoTheRefill() throws {
        let lines = try AuditHarness.rows(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,100.00
            C1,2,P1,2026-10-05,A4220,,1,11,,1111111112,1111111112,MD,,30.00
            C1,3,P1,2026-10-05,72148,,1,11,,1111111112,1111111112,MD,,30.00
            """)
        #expect(lines.map(\.code) == ["62369", "A4220"], "A4220 is kept, 72148 (paired with no pump code) is not")
        let result = AuditEngine(configuration: AuditConfiguration(), rules: [UnbundlingRule.self]).audit(lines)
            .findings
        #expect(result.map(\.line!.code) == ["A4220"])
        #expect(result.first?.severity == .error)
        #expect(result.first?.related?.code == "62369")
        let otherProvider = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1111111112,MD,,100.00
            C2,1,P1,2026-10-05,A4220,,1,11,,1333333338,1333333338,MD,,30.00
            """)
        #expect(otherProvider.isEmpty)
    }

    @Test func institutionalLinesMeetTheOutpatientTableByBillingProvider() throws {
        // 62370/96523 is a practitioner edit (indicator 0) with no outpatient hospital row.
        let professional = try findings(
            """
            C1,1,P1,2026-10-05,62370,,1,11,,1111111112,1111111112,MD,,100.00
            C1,2,P1,2026-10-05,96523,,1,11,,1111111112,1111111112,MD,,30.00
            """)
        #expect(professional.map(\.line!.code) == ["96523"])
        let institutional = try findings(
            """
            F1,1,P1,2026-10-05,62370,,1,,131,,1444444446,,,300.00
            F1,2,P1,2026-10-05,96523,,1,,131,,1444444446,,,40.00
            """)
        #expect(institutional.isEmpty)
        let refill = try findings(
            """
            F1,1,P1,2026-10-05,95990,,1,,131,1111111112,1444444446,,,200.00
            F2,1,P1,2026-10-05,62368,,1,,131,1333333338,1444444446,,,200.00
            F3,1,P1,2026-10-05,62367,,1,,131,1111111112,1555555550,,,200.00
            """)
        #expect(refill.map(\.line!.code) == ["62368"], "same facility, whatever the rendering NPI")
        #expect(refill.first?.message.text.contains("built-in NCCI outpatient hospital PTP 2024-07-01") == true)
        var reference = ReferenceData.builtIn
        reference.outpatientPTP.load([edit("62370", "96523", .notAllowed)], from: "ccioph.txt")
        let loaded = try findings(
            """
            F1,1,P1,2026-10-05,62370,,1,,131,,1444444446,,,300.00
            F1,2,P1,2026-10-05,96523,,1,,131,,1444444446,,,40.00
            F1,3,P1,2026-10-05,A4220,,1,,131,,1444444446,,,40.00
            """, AuditConfiguration(reference: reference))
        #expect(loaded.map(\.line!.code) == ["96523"], "the loaded outpatient file replaced the built-in one")
    }

    @Test(arguments: ["59", "XE", "XS", "XP", "XU"])
    func indicatorOneIsBypassedByAnNCCIModifierOnTheColumnTwoLine(modifier: String) throws {
        let configuration = configuration([edit("62369", "62368", .allowed)])
        let bypassed = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111112,,MD,,100.00
            C1,2,P1,2026-10-05,62368,\(modifier),1,11,,1111111112,,MD,,80.00
            """, configuration)
        #expect(bypassed.map(\.severity) == [.info])
        #expect(bypassed.first?.message.text.contains("bypassed by modifier \(modifier)") == true)
        let onColumnOne = try findings(
            """
            C1,1,P1,2026-10-05,62369,\(modifier),1,11,,1111111112,,MD,,100.00
            C1,2,P1,2026-10-05,62368,,1,11,,1111111112,,MD,,80.00
            """, configuration)
        #expect(onColumnOne.map(\.severity) == [.error])
    }

    @Test func modifier25BypassesOnlyOnAnEM() throws {
        // No CMS edit pairs a pump code with an E/M; a loaded file's E/M edit shows the bypass.
        let visit = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111112,,MD,,100.00
            C2,1,P1,2026-10-05,99213,25,1,11,,1111111112,,MD,,80.00
            """, configuration([edit("62369", "99213", .allowed)]))
        #expect(visit.map(\.severity) == [.info])
        let procedure = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111112,,MD,,100.00
            C1,2,P1,2026-10-05,62368,25,1,11,,1111111112,,MD,,80.00
            """, configuration([edit("62369", "62368", .allowed)]))
        #expect(procedure.map(\.severity) == [.error])
    }

    @Test func theProviderIsRenderingElseBilling() throws {
        let sameBilling = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,,1222222220,MD,,100.00
            C2,1,P1,2026-10-05,95990,,1,11,,,1222222220,MD,,80.00
            """)
        #expect(sameBilling.count == 1)
        let differentRendering = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111112,1222222220,MD,,100.00
            C2,1,P1,2026-10-05,95990,,1,11,,1333333338,1222222220,MD,,80.00
            """)
        #expect(differentRendering.isEmpty)
    }

    @Test func anEditAppliesOnlyBetweenItsEffectiveAndDeletionDates() throws {
        let configuration = configuration([
            edit("62369", "95990", .notAllowed, from: "2026-10-01", deleted: "2026-10-10")
        ])
        for (day, fires) in [("2026-09-30", false), ("2026-10-01", true), ("2026-10-09", true), ("2026-10-10", false)] {
            let result = try findings(
                """
                C1,1,P1,\(day),62369,,1,11,,1111111112,,MD,,100.00
                C1,2,P1,\(day),95990,,1,11,,1111111112,,MD,,80.00
                """, configuration)
            #expect(result.count == (fires ? 1 : 0), "\(day)")
        }
    }

    @Test func indicatorNineNeverFires() throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111112,,MD,,100.00
            C1,2,P1,2026-10-05,62368,,1,11,,1111111112,,MD,,80.00
            """, configuration([edit("62369", "62368", .notApplicable)]))
        #expect(result.isEmpty)
    }

    @Test func aLoadedPractitionerFileReplacesTheBuiltInTable() throws {
        let configuration = configuration([edit("62369", "62368", .allowed)])
        let rows = """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111112,,MD,,100.00
            C1,2,P1,2026-10-05,62368,59,1,11,,1111111112,,MD,,80.00
            C1,3,P1,2026-10-05,62367,59,1,11,,1111111112,,MD,,70.00
            """
        let builtIn = Dictionary(grouping: try findings(rows), by: \.line!.code)
        #expect(builtIn["62368"]?.map(\.severity) == [.error])
        #expect(builtIn["62367"]?.map(\.severity) == [.error, .error])
        let loaded = try findings(rows, configuration)
        // 62369/62368 is loaded with indicator 1 and 59 bypasses it; the built-in
        // indicator-0 pairs over 62367 are gone with the built-in table.
        #expect(loaded.map(\.line!.code) == ["62368"])
        #expect(loaded.map(\.severity) == [.info])
        #expect(loaded.first?.message.text.contains("test.txt") == true)
        #expect(configuration.reference.practitionerPTP.count == 1)
        #expect(!configuration.reference.practitionerPTP.isBuiltIn)
        #expect(configuration.reference.outpatientPTP.isBuiltIn)
    }

    @Test func pairsAcrossFilesAreSeenTogether() throws {
        let first = try AuditHarness.lines(
            RuleExample.standardHeader + "\nC1,1,P1,2026-10-05,62369,,1,11,,1111111112,,MD,,100.00\n", file: "a.csv")
        let second = try AuditHarness.lines(
            RuleExample.standardHeader + "\nC9,1,P1,2026-10-05,95990,,1,11,,1111111112,,MD,,80.00\n", file: "b.csv")
        let result = AuditEngine(configuration: AuditConfiguration(), rules: [UnbundlingRule.self]).audit(
            first + second
        ).findings
        #expect(result.count == 1)
        #expect(result.first?.line?.source.file == "b.csv")
        #expect(result.first?.related?.claimID == "C1")
    }
}

/// One busy patient-day: the pair and unit checks follow the day's distinct codes,
/// not the square of its lines.
@Suite struct BusyDayTests {
    static func day(_ counts: [(String, Int)]) -> String {
        var rows: [String] = []
        for (code, count) in counts {
            for i in 0..<count {
                rows.append("C\(code)-\(i),1,P1,2026-10-05,\(code),,1,11,,1111111112,1111111112,MD,,10.00")
            }
        }
        return rows.joined(separator: "\n")
    }

    @Test func eachColumnTwoLineGetsOneFindingNamingTheFirstColumnOneLine() throws {
        let findings = try AuditHarness.audit(
            Self.day([("62369", 2_000), ("62368", 2_000)]), rules: [UnbundlingRule.self])
        #expect(findings.count == 2_000)
        #expect(findings.allSatisfy { $0.line!.code == "62368" && $0.related?.claimID == "C62369-0" })
    }

    /// Days on both sides of the line counts past which the rules group by hashing
    /// (16 lines of a provider for unbundling, 32 for MUE, 12 for place of service):
    /// the same findings either way.
    @Test(arguments: [1, 8, 9, 17])
    func aDayOfFewLinesOrManyGivesTheSamePairs(perCode: Int) throws {
        let findings = try AuditHarness.audit(
            Self.day([("62369", perCode), ("62368", perCode)]), rules: [UnbundlingRule.self])
        #expect(findings.count == perCode)
        #expect(findings.allSatisfy { $0.line!.code == "62368" && $0.related?.claimID == "C62369-0" })
    }

    @Test(arguments: [2, 32, 33, 40])
    func aDayOfFewLinesOrManyGivesTheSameUnits(lines: Int) throws {
        // 62369's lines are one group, over its MUE together; 99213's three another.
        let findings = try AuditHarness.audit(
            Self.day([("62369", lines), ("99213", 3)]), rules: [MUEExcessRule.self])
        let pump = findings.filter { $0.line!.code == "62369" }
        #expect(pump.count == lines)
        #expect(pump.allSatisfy { $0.message.text.contains("\(lines) units of 62369") })
        #expect(findings.count - pump.count == 3)
        #expect(
            findings.filter { $0.line!.code == "99213" }.allSatisfy { $0.message.text.contains("3 units of 99213") })
    }

    @Test(arguments: [2, 12, 13, 30])
    func aDayOfFewClaimsOrManyGivesTheSamePlaces(lines: Int) throws {
        // One claim per line, each a refill at the office: no claim holds two places.
        let day = (0..<lines).map { "C\($0),1,P1,2026-10-05,95990,,1,11,,1111111112,1111111112,MD,,10.00" }
        // And one claim with its refill at the office and its drug at home.
        let mixed = [
            "M1,1,P1,2026-10-05,95990,,1,11,,1111111112,1111111112,MD,,10.00",
            "M1,2,P1,2026-10-05,J0475,JZ,1,12,,1111111112,1111111112,MD,,10.00",
        ]
        let findings = try AuditHarness.audit(
            (day + mixed).joined(separator: "\n"), rules: [PlaceOfServiceMismatchRule.self])
        let twoPlaces = findings.filter { $0.related?.claimID == "M1" }
        #expect(twoPlaces.count == 1)
        #expect(twoPlaces.first?.line?.code == "J0475")
    }

    @Test func aDaysMUEFindingsNameAFewOtherLinesAndCountTheRest() throws {
        let findings = try AuditHarness.audit(Self.day([("62369", 4_000)]), rules: [MUEExcessRule.self])
        #expect(findings.count == 4_000)
        let message = try #require(findings.first?.message.text)
        #expect(message.contains("4000 units of 62369"))
        #expect(message.contains("and 3994 more lines"))
        #expect(findings.allSatisfy { $0.message.text.count < 700 })
    }
}
