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
        reference.ptp.override(with: edits, from: "test.txt")
        return AuditConfiguration(reference: reference)
    }

    @Test func everyBuiltInPairFiresOnItsColumnTwoLine() throws {
        let pairs = [
            ("62370", "62367"), ("62370", "62368"), ("62370", "62369"), ("62369", "62368"), ("62369", "62367"),
            ("62368", "62367"), ("62367", "95990"), ("62370", "95991"), ("95991", "95990"),
        ]
        for (column1, column2) in pairs {
            let result = try findings(
                """
                C1,1,P1,2026-10-05,\(column1),,1,11,,1111111111,,MD,,100.00
                C2,1,P1,2026-10-05,\(column2),XU,1,11,,1111111111,,MD,,80.00
                """)
            #expect(result.count == 1, "\(column1)/\(column2)")
            #expect(result.first?.line.code == column2)
            #expect(result.first?.related?.code == column1)
            #expect(result.first?.severity == .error, "indicator 0 ignores XU")
            #expect(result.first?.message.text.contains("claim C1 line 1") == true)
            #expect(result.first?.amountAtRisk == Money(cents: 8000))
        }
    }

    @Test(arguments: ["59", "XE", "XS", "XP", "XU"])
    func indicatorOneIsBypassedByAnNCCIModifierOnTheColumnTwoLine(modifier: String) throws {
        let configuration = configuration([edit("62369", "62368", .allowed)])
        let bypassed = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111111,,MD,,100.00
            C1,2,P1,2026-10-05,62368,\(modifier),1,11,,1111111111,,MD,,80.00
            """, configuration)
        #expect(bypassed.map(\.severity) == [.info])
        #expect(bypassed.first?.message.text.contains("bypassed by modifier \(modifier)") == true)
        let onColumnOne = try findings(
            """
            C1,1,P1,2026-10-05,62369,\(modifier),1,11,,1111111111,,MD,,100.00
            C1,2,P1,2026-10-05,62368,,1,11,,1111111111,,MD,,80.00
            """, configuration)
        #expect(onColumnOne.map(\.severity) == [.error])
    }

    @Test func modifier25BypassesOnlyOnAnEM() throws {
        let visit = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111111,,MD,,100.00
            C2,1,P1,2026-10-05,99213,25,1,11,,1111111111,,MD,,80.00
            """)
        #expect(visit.map(\.severity) == [.info])
        let procedure = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111111,,MD,,100.00
            C1,2,P1,2026-10-05,62368,25,1,11,,1111111111,,MD,,80.00
            """, configuration([edit("62369", "62368", .allowed)]))
        #expect(procedure.map(\.severity) == [.error])
    }

    @Test func theProviderIsRenderingElseBilling() throws {
        let sameBilling = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,,1222222222,MD,,100.00
            C2,1,P1,2026-10-05,95990,,1,11,,,1222222222,MD,,80.00
            """)
        #expect(sameBilling.count == 1)
        let differentRendering = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111111,1222222222,MD,,100.00
            C2,1,P1,2026-10-05,95990,,1,11,,1333333333,1222222222,MD,,80.00
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
                C1,1,P1,\(day),62369,,1,11,,1111111111,,MD,,100.00
                C1,2,P1,\(day),95990,,1,11,,1111111111,,MD,,80.00
                """, configuration)
            #expect(result.count == (fires ? 1 : 0), "\(day)")
        }
    }

    @Test func indicatorNineNeverFires() throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111111,,MD,,100.00
            C1,2,P1,2026-10-05,62368,,1,11,,1111111111,,MD,,80.00
            """, configuration([edit("62369", "62368", .notApplicable)]))
        #expect(result.isEmpty)
    }

    @Test func aLoadedEditOverridesTheBuiltInPairOnly() throws {
        let configuration = configuration([edit("62369", "62368", .allowed)])
        let result = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111111,,MD,,100.00
            C1,2,P1,2026-10-05,62368,59,1,11,,1111111111,,MD,,80.00
            C1,3,P1,2026-10-05,62367,59,1,11,,1111111111,,MD,,70.00
            """, configuration)
        let byCode = Dictionary(grouping: result, by: \.line.code)
        // 62369/62368 is loaded with indicator 1 and 59 bypasses it; the built-in
        // indicator-0 pairs over 62367 (with 62369 and with 62368) still hold.
        #expect(byCode["62368"]?.map(\.severity) == [.info])
        #expect(byCode["62367"]?.map(\.severity) == [.error, .error])
        #expect(Set(byCode["62367"]?.compactMap(\.related?.code) ?? []) == ["62369", "62368"])
    }

    @Test func pairsAcrossFilesAreSeenTogether() throws {
        let first = try AuditHarness.lines(
            RuleExample.standardHeader + "\nC1,1,P1,2026-10-05,62369,,1,11,,1111111111,,MD,,100.00\n", file: "a.csv")
        let second = try AuditHarness.lines(
            RuleExample.standardHeader + "\nC9,1,P1,2026-10-05,95990,,1,11,,1111111111,,MD,,80.00\n", file: "b.csv")
        let result = AuditEngine(configuration: AuditConfiguration(), rules: [UnbundlingRule.self]).audit(
            first + second
        ).findings
        #expect(result.count == 1)
        #expect(result.first?.line.source.file == "b.csv")
        #expect(result.first?.related?.claimID == "C1")
    }
}
