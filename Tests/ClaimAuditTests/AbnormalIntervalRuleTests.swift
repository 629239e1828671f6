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
        C1,1,P1,\(first),\(code),,1,11,,1111111112,,MD,,120.00
        C2,1,P1,\(second),\(code),,1,11,,1111111112,,MD,,120.00
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
            #expect(result.first?.line?.claimID == "C2")
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
        #expect(visits.map(\.severity) == [.info], "a visit too soon is at most noted: titration visits are frequent")
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
            C1,1,P1,2026-09-01,62369,,1,11,,1111111112,,MD,,120.00,\(reservoir),\(daily)
            C2,1,P1,\(ServiceDate(year: 2026, month: 9, day: 1)!.adding(days: days)),62369,,1,11,,1111111112,,MD,,120.00,,
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
            C1,1,P1,2026-10-05,62369,,1,11,,1111111112,,MD,,120.00
            C2,1,P1,2026-10-05,62369,,1,11,,1111111112,,MD,,120.00
            """)
        #expect(result.isEmpty)
    }

    @Test func historyIsContextAndNeverFlagged() throws {
        let result = try findings(
            "C2,1,P1,2026-10-06,62369,,1,11,,1111111112,,MD,,120.00",
            history: "C1,1,P1,2026-09-28,62369,,1,11,,1111111112,,MD,,120.00")
        #expect(result.map(\.line!.claimID) == ["C2"])
        #expect(result.first?.related?.fromHistory == true)
        #expect(result.first?.related?.source.file == "history.csv")
    }

    @Test func thresholdsAreSettingsAndMayDifferByPayer() throws {
        var configuration = AuditConfiguration()
        var strict = AbnormalIntervalRule.Settings()
        strict.minRefillDays = 28
        configuration[settingsOf: AbnormalIntervalRule.self, payer: "Acme Health"] = strict
        let header = RuleExample.standardHeader + ",payer"
        let rows = { (payer: String) in
            """
            C1,1,P1,2026-10-01,62369,,1,11,,1111111112,,MD,,120.00,\(payer)
            C2,1,P1,2026-10-21,62369,,1,11,,1111111112,,MD,,120.00,\(payer)
            """
        }
        #expect(try findings(rows("Acme Health"), configuration: configuration, header: header).count == 1)
        #expect(try findings(rows("Medicare"), configuration: configuration, header: header).isEmpty)
        configuration[settingsOf: AbnormalIntervalRule.self].minRefillDays = 21
        #expect(try findings(rows("Medicare"), configuration: configuration, header: header).count == 1)
    }

    // MARK: Intervals follow the drug

    /// A refill with a drug line on `first`, then a refill `days` later, with `drug` filled at the first.
    private func refillsWithDrug(_ drug: String, days: Int, secondCode: String = "62369") -> String {
        let first = ServiceDate(year: 2026, month: 3, day: 2)!
        return """
            C1,1,P1,\(first),62369,,1,11,,1111111112,,MD,,120.00
            C1,2,P1,\(first),\(drug),JZ,10,11,,1111111112,,MD,,900.00
            C2,1,P1,\(first.adding(days: days)),\(secondCode),,1,11,,1111111112,,MD,,120.00
            """
    }

    @Test(arguments: [(84, false), (85, true), (120, true), (179, true)])
    func aZiconotideFillPastEightyFourDaysIsAWarning(days: Int, flagged: Bool) throws {
        let result = try findings(refillsWithDrug("J2278", days: days))
        #expect(result.count == (flagged ? 1 : 0), "\(days) days")
        if flagged {
            #expect(result.first?.severity == .warning)
            #expect(result.first?.message.text.contains("J2278") == true)
            #expect(result.first?.message.text.contains("within 84 days") == true)
        }
    }

    @Test func otherDrugsKeepTheGeneralLimit() throws {
        #expect(try findings(refillsWithDrug("J0475", days: 120)).isEmpty)
        #expect(try findings(refillsWithDrug("J0475", days: 200)).map(\.severity) == [.info])
    }

    @Test func theDrugIsTheOneFilledAtThePreviousRefillElseTheLastKnown() throws {
        // Ziconotide filled in March; the June refill bills no drug line (pharmacy-supplied),
        // so the pump still holds ziconotide when the October refill comes 120 days later.
        let result = try findings(
            """
            C1,1,P1,2026-03-02,62369,,1,11,,1111111112,,MD,,120.00
            C1,2,P1,2026-03-02,J2278,JZ,10,11,,1111111112,,MD,,900.00
            C2,1,P1,2026-05-20,62369,,1,11,,1111111112,,MD,,120.00
            C3,1,P1,2026-09-17,62369,,1,11,,1111111112,,MD,,120.00
            """)
        #expect(result.map(\.line!.claimID) == ["C3"])
        // Switched to baclofen at the May refill: no ziconotide limit on the next interval.
        let switched = try findings(
            """
            C1,1,P1,2026-03-02,62369,,1,11,,1111111112,,MD,,120.00
            C1,2,P1,2026-03-02,J2278,JZ,10,11,,1111111112,,MD,,900.00
            C2,1,P1,2026-05-20,62369,,1,11,,1111111112,,MD,,120.00
            C2,2,P1,2026-05-20,J0475,JZ,4,11,,1111111112,,MD,,500.00
            C3,1,P1,2026-09-17,62369,,1,11,,1111111112,,MD,,120.00
            """)
        #expect(switched.isEmpty)
    }

    @Test func aPayersOwnImplantCodesStartItsNewPumpSchedule() throws {
        var configuration = AuditConfiguration()
        configuration[settingsOf: AbnormalIntervalRule.self, payer: "Acme Health"].newPumpCodes = ["62350"]
        let header = RuleExample.standardHeader + ",payer"
        let rows = { (payer: String) in
            """
            C1,1,P1,2026-10-01,62369,,1,11,,1111111112,,MD,,120.00,\(payer)
            C2,1,P1,2026-10-03,62350,,1,22,,1111111112,,MD,,900.00,\(payer)
            C3,1,P1,2026-10-08,62369,,1,11,,1111111112,,MD,,120.00,\(payer)
            """
        }
        #expect(try findings(rows("Acme Health"), configuration: configuration, header: header).isEmpty)
        #expect(
            try findings(rows("Medicare"), configuration: configuration, header: header).map(\.line!.claimID) == ["C3"])
    }

    @Test func drugLimitsAreASettingTable() throws {
        var configuration = AuditConfiguration()
        configuration[settingsOf: AbnormalIntervalRule.self].drugMaxRefillDays = ["J0475": 90]
        #expect(try findings(refillsWithDrug("J0475", days: 100), configuration: configuration).count == 1)
        #expect(try findings(refillsWithDrug("J2278", days: 100), configuration: configuration).isEmpty)
    }

    @Test(arguments: ["62367", "62368"])
    func aZiconotidePatientsReprogrammingIsNeverTooSoon(code: String) throws {
        let rows = { (drug: String) in
            """
            C1,1,P1,2026-10-01,62369,,1,11,,1111111112,,MD,,120.00
            C1,2,P1,2026-10-01,\(drug),JZ,10,11,,1111111112,,MD,,900.00
            C2,1,P1,2026-10-03,\(code),,1,11,,1111111112,,MD,,90.00
            C3,1,P1,2026-10-05,\(code),,1,11,,1111111112,,MD,,90.00
            """
        }
        #expect(try findings(rows("J2278")).isEmpty)
        #expect(try findings(rows("J0475")).map(\.severity) == [.info, .info])
    }

    @Test func aRefillTooSoonIsFlaggedEvenForAZiconotidePatient() throws {
        let result = try findings(refillsWithDrug("J2278", days: 9))
        #expect(result.map(\.severity) == [.warning])
        #expect(result.first?.message.text.contains("refill 9 days") == true)
    }

    @Test(arguments: ["62360", "62361", "62362"])
    func theFirstRefillOfANewPumpIsNeverTooSoon(implant: String) throws {
        let rows = """
            C1,1,P1,2026-09-20,62369,,1,11,,1111111112,,MD,,120.00
            C2,1,P1,2026-09-24,\(implant),,1,22,,1111111112,,MD,,900.00
            C3,1,P1,2026-10-01,62369,,1,11,,1111111112,,MD,,120.00
            C4,1,P1,2026-10-08,62369,,1,11,,1111111112,,MD,,120.00
            """
        let result = try findings(rows)
        // C3 is the new pump's first refill; C4 comes 7 days after it and is too soon.
        #expect(result.map(\.line!.claimID) == ["C4"])
        #expect(result.first?.related?.claimID == "C3")
    }
}
