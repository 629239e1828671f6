import ClaimAudit
import ClaimModel
import Testing

@Suite struct AbnormalIntervalRuleTests {
    private func findings(
        _ rows: String, history: String? = nil, configuration: AuditConfiguration = AuditConfiguration(),
        header: String = RuleExample.standardHeader
    ) throws -> [Finding] {
        let lines = try AuditHarness.lines(header + "\n" + rows + "\n")
        let earlier = try history.map { try AuditHarness.lines(header + "\n" + $0 + "\n", file: "history.csv") } ?? []
        return AuditEngine(configuration: configuration, rules: [AbnormalIntervalRule.self]).audit(
            lines, history: earlier
        ).findings
    }

    private func refills(_ first: String, _ second: String, code: String = "62369") -> String {
        """
        C1,1,P1,\(first),\(code),,1,11,,1111111111,,MD,,120.00
        C2,1,P1,\(second),\(code),,1,11,,1111111111,,MD,,120.00
        """
    }

    @Test(arguments: [
        ("2026-10-01", "2026-10-09", true), ("2026-10-01", "2026-10-14", true), ("2026-10-01", "2026-10-15", false),
        ("2026-09-28", "2026-10-06", true), ("2026-08-10", "2026-10-05", false),
    ])
    func refillsCloserThanFourteenDaysAreWarnings(first: String, second: String, flagged: Bool) throws {
        let result = try findings(refills(first, second))
        #expect(result.count == (flagged ? 1 : 0))
        if flagged {
            #expect(result.first?.severity == .warning)
            #expect(result.first?.line.claimID == "C2")
            #expect(result.first?.related?.claimID == "C1")
            #expect(result.first?.message.text.contains("claim C1 line 1") == true)
        }
    }

    @Test(arguments: ["62369", "62370", "95990", "95991"])
    func everyRefillCodeCounts(code: String) throws {
        #expect(
            try findings(refills("2026-10-01", "2026-10-09", code: code)).first?.message.text.contains("refill 8 days")
                == true)
    }

    @Test func aVisitTooSoonIsNotAlsoARefillTooSoon() throws {
        let visits = try findings(refills("2026-10-01", "2026-10-03", code: "62367"))
        #expect(visits.map(\.severity) == [.warning])
        #expect(visits.first?.message.text.contains("2 days after the previous pump service") == true)
        let refill = try findings(refills("2026-10-01", "2026-10-03"))
        #expect(refill.count == 1)
        #expect(refill.first?.message.text.contains("refill 2 days") == true)
    }

    @Test func overdueRefillsAreInfo() throws {
        let result = try findings(refills("2026-03-02", "2026-10-12", code: "95990"))
        #expect(result.map(\.severity) == [.info])
        #expect(result.first?.message.text.contains("224 days") == true)
        #expect(try findings(refills("2026-04-15", "2026-10-12", code: "95990")).isEmpty)  // 180 days exactly
    }

    @Test func expectedDaysToEmptyUseTheVolumes() throws {
        let header = RuleExample.standardHeader + ",reservoir_volume_ml,daily_volume_ml"
        let rows = { (reservoir: String, daily: String, days: Int) in
            """
            C1,1,P1,2026-09-01,62369,,1,11,,1111111111,,MD,,120.00,\(reservoir),\(daily)
            C2,1,P1,\(ServiceDate(year: 2026, month: 9, day: 1)!.adding(days: days)),62369,,1,11,,1111111111,,MD,,120.00,,
            """
        }
        // (40 - 2) / 0.5 = 76 days expected; half is 38.
        #expect(try findings(rows("40", "0.5", 37), header: header).count == 1)
        #expect(try findings(rows("40", "0.5", 38), header: header).isEmpty)
        #expect(try findings(rows("20", "0.5", 20), header: header).isEmpty)
        #expect(try findings(rows("", "", 20), header: header).isEmpty)
    }

    @Test func sameDayLinesAreNotIntervals() throws {
        let result = try findings(
            """
            C1,1,P1,2026-10-05,62369,,1,11,,1111111111,,MD,,120.00
            C2,1,P1,2026-10-05,62369,,1,11,,1111111111,,MD,,120.00
            """)
        #expect(result.isEmpty)
    }

    @Test func historyIsContextAndNeverFlagged() throws {
        let result = try findings(
            "C2,1,P1,2026-10-06,62369,,1,11,,1111111111,,MD,,120.00",
            history: "C1,1,P1,2026-09-28,62369,,1,11,,1111111111,,MD,,120.00")
        #expect(result.map(\.line.claimID) == ["C2"])
        #expect(result.first?.related?.fromHistory == true)
        #expect(result.first?.related?.source.file == "history.csv")
    }

    @Test func thresholdsAreSettingsAndMayDifferByPayer() throws {
        var configuration = AuditConfiguration()
        var strict = AbnormalIntervalRule.Settings()
        strict.minRefillDays = 28
        configuration.abnormalIntervalByPayer = ["Acme Health": strict]
        let header = RuleExample.standardHeader + ",payer"
        let rows = { (payer: String) in
            """
            C1,1,P1,2026-10-01,62369,,1,11,,1111111111,,MD,,120.00,\(payer)
            C2,1,P1,2026-10-21,62369,,1,11,,1111111111,,MD,,120.00,\(payer)
            """
        }
        #expect(try findings(rows("Acme Health"), configuration: configuration, header: header).count == 1)
        #expect(try findings(rows("Medicare"), configuration: configuration, header: header).isEmpty)
        configuration.abnormalInterval.minRefillDays = 21
        #expect(try findings(rows("Medicare"), configuration: configuration, header: header).count == 1)
    }
}
