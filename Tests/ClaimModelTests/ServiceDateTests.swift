import Testing

@testable import ClaimModel

@Suite struct ServiceDateTests {
    @Test(arguments: [
        (1970, 1, 1, 0), (2026, 10, 5, 20_731), (2000, 2, 29, 11_016), (1969, 12, 31, -1), (2024, 12, 31, 20_088),
    ])
    func dayNumbers(year: Int, month: Int, day: Int, expected: Int32) throws {
        let date = try #require(ServiceDate(year: year, month: month, day: day))
        #expect(date.dayNumber == expected)
        #expect(date.components == (year, month, day))
    }

    @Test(arguments: [
        (2026, 2, 30), (2026, 2, 29), (1900, 2, 29), (2026, 13, 1), (2026, 0, 10), (2026, 4, 31), (2026, 1, 0),
    ])
    func impossibleDays(year: Int, month: Int, day: Int) {
        #expect(ServiceDate(year: year, month: month, day: day) == nil)
    }

    @Test func everyDayOfTwoCenturiesRoundTrips() throws {
        var previous: Int32?
        for year in 1900...2100 {
            for month in 1...12 {
                for day in 1...ServiceDate.daysIn(month: month, year: year) {
                    let date = try #require(ServiceDate(year: year, month: month, day: day))
                    #expect(date.components == (year, month, day))
                    if let previous { #expect(date.dayNumber == previous + 1) }
                    previous = date.dayNumber
                }
            }
        }
    }

    @Test func formatsAndIntervals() throws {
        let september = try #require(ServiceDate(year: 2026, month: 9, day: 10))
        let october = try #require(ServiceDate(year: 2026, month: 10, day: 3))
        #expect(september.description == "2026-09-10")
        #expect(october.monthKey == "2026-10")
        #expect(october.days(since: september) == 23)
        #expect(september.adding(days: 23) == october)
    }
}

@Suite struct MoneyAndCodeTests {
    @Test(arguments: [(Int64(0), "0.00"), (5, "0.05"), (12_345, "123.45"), (-1250, "-12.50"), (100, "1.00")])
    func moneyPrints(cents: Int64, text: String) {
        #expect(Money(cents: cents).description == text)
    }

    @Test(arguments: [
        ("62367", CodeFamily.pumpAnalysis), ("62370", .pumpAnalysis), ("62366", .other), ("62371", .other),
        ("95990", .pumpRefill), ("95991", .pumpRefill), ("95992", .other), ("99213", .evaluationAndManagement),
        ("99202", .evaluationAndManagement), ("99201", .other), ("99206", .other), ("99215", .evaluationAndManagement),
        ("J0475", .pumpDrug), ("j2278", .pumpDrug), ("J9999", .other), ("6236", .other), ("623670", .other),
        ("", .other),
    ])
    func codeFamilies(code: String, family: CodeFamily) {
        #expect(CodeFamily(code: code) == family)
    }

    @Test func amountAtRiskPrefersPaidThenAllowedThenCharge() throws {
        let date = try #require(ServiceDate(year: 2026, month: 10, day: 1))
        var line = ClaimLine(
            source: SourceLocation(file: "f", line: 2), claimID: "C", patientID: "P",
            serviceDate: date, code: "62369", chargeAmount: Money(cents: 300))
        #expect(line.amountAtRisk == Money(cents: 300))
        line.allowedAmount = Money(cents: 200)
        #expect(line.amountAtRisk == Money(cents: 200))
        line.paidAmount = Money(cents: 100)
        #expect(line.amountAtRisk == Money(cents: 100))
        line.billingNPI = "1222222220"
        #expect(line.providerNPI == "1222222220")
        line.renderingNPI = "1111111112"
        #expect(line.providerNPI == "1111111112")
    }
}

@Suite struct ClaimLineStorageTests {
    /// A line with every value set, made afresh (with a box of its own) on each call.
    static func everyValueSet() -> ClaimLine {
        ClaimLine(
            source: SourceLocation(file: "a.csv", line: 12), claimID: "C1", lineNumber: 3, claimType: .institutional,
            patientID: "P1", serviceDate: ServiceDate(year: 2026, month: 10, day: 1)!, code: "62370",
            modifiers: ["59", "GD"], units: 2, placeOfService: "11", billType: "131", renderingNPI: "1111111112",
            billingNPI: "1222222220", facilityNPI: "1333333338", renderingCredential: "MD",
            justification: "deep pump, fluoroscopy", chargeAmount: Money(cents: 300), allowedAmount: Money(cents: 200),
            paidAmount: Money(cents: -100), payer: "Medicare", diagnosisCodes: ["G35", "G89.4"],
            reservoirVolumeML: 40, dailyVolumeML: 0.5)
    }

    @Test func everyValueReadsBackAsGiven() throws {
        let line = Self.everyValueSet()
        #expect(line.source == SourceLocation(file: "a.csv", line: 12))
        #expect(line.lineNumber == 3)
        #expect(line.claimType == .institutional)
        #expect(line.modifiers == ["59", "GD"])
        #expect(line.units == 2)
        #expect(
            [line.placeOfService, line.billType, line.renderingNPI, line.billingNPI, line.facilityNPI]
                == ["11", "131", "1111111112", "1222222220", "1333333338"])
        #expect(line.renderingCredential == "MD")
        #expect(line.justification == "deep pump, fluoroscopy")
        #expect(
            [line.chargeAmount, line.allowedAmount, line.paidAmount] == [
                Money(cents: 300), Money(cents: 200), Money(cents: -100),
            ])
        #expect(line.payer == "Medicare")
        #expect(line.diagnosisCodes == ["G35", "G89.4"])
        #expect(line.reservoirVolumeML == 40)
        #expect(line.dailyVolumeML == 0.5)
        #expect(line.family == .pumpAnalysis)
    }

    /// Two lines made apart from the same values are equal (they share no box), and a
    /// change to any one value makes them differ.
    @Test func linesAreEqualByEveryValue() throws {
        let line = Self.everyValueSet()
        let twin = Self.everyValueSet()
        #expect(twin == line)
        #expect(twin.hashValue == line.hashValue)
        let date = try #require(ServiceDate(year: 2026, month: 10, day: 2))
        let changes: [(String, (inout ClaimLine) -> Void)] = [
            ("source", { $0.source = SourceLocation(file: "a.csv", line: 13) }),
            ("claimID", { $0.claimID = "C2" }), ("lineNumber", { $0.lineNumber = nil }),
            ("claimType", { $0.claimType = .professional }), ("patientID", { $0.patientID = "P2" }),
            ("serviceDate", { $0.serviceDate = date }), ("code", { $0.code = "62369" }),
            ("modifiers", { $0.modifiers = ["GD", "59"] }), ("units", { $0.units = 1 }),
            ("placeOfService", { $0.placeOfService = "22" }), ("billType", { $0.billType = nil }),
            ("renderingNPI", { $0.renderingNPI = "1222222220" }), ("billingNPI", { $0.billingNPI = nil }),
            ("facilityNPI", { $0.facilityNPI = nil }), ("renderingCredential", { $0.renderingCredential = "NP" }),
            ("justification", { $0.justification = "" }), ("chargeAmount", { $0.chargeAmount = Money(cents: 301) }),
            ("allowedAmount", { $0.allowedAmount = nil }), ("paidAmount", { $0.paidAmount = Money(cents: 100) }),
            ("payer", { $0.payer = "Medicaid" }), ("diagnosisCodes", { $0.diagnosisCodes = ["G35"] }),
            ("reservoirVolumeML", { $0.reservoirVolumeML = 20 }), ("dailyVolumeML", { $0.dailyVolumeML = nil }),
            ("claimSpan", { $0.claimSpan = date...date }), ("adjustment", { $0.adjustment = .void }),
            ("fromHistory", { $0.fromHistory = true }),
        ]
        for (value, change) in changes {
            var changed = twin
            change(&changed)
            #expect(changed != line, "a different \(value) still compares equal")
            #expect(twin == line, "changing a copy's \(value) changed the line it was copied from")
        }
    }

    @Test func absentValuesStayAbsentAndEqualLinesAreEqual() throws {
        let date = try #require(ServiceDate(year: 2026, month: 10, day: 1))
        let a = ClaimLine(
            source: SourceLocation(file: "a.csv", line: 2), claimID: "C1", patientID: "P1", serviceDate: date,
            code: "95990")
        let b = ClaimLine(
            source: SourceLocation(file: "a.csv", line: 2), claimID: "C1", patientID: "P1", serviceDate: date,
            code: "95990")
        #expect(a == b)
        #expect(a.lineNumber == nil && a.placeOfService == nil && a.justification == nil && a.paidAmount == nil)
        #expect(a.reservoirVolumeML == nil && a.dailyVolumeML == nil && a.modifiers.isEmpty && a.diagnosisCodes == nil)
        var c = b
        c.justification = ""
        #expect(c != b)
        #expect(c.justification == "")
    }

    @Test func settingTheCodeSetsTheFamily() throws {
        let date = try #require(ServiceDate(year: 2026, month: 10, day: 1))
        var line = ClaimLine(
            source: SourceLocation(file: "a.csv", line: 2), claimID: "C1", patientID: "P1", serviceDate: date,
            code: "95990")
        #expect(line.family == .pumpRefill)
        line.code = "99213"
        #expect(line.family == .evaluationAndManagement)
        line.code = "J0475"
        #expect(line.family == .pumpDrug)
        line.code = "A0001"
        #expect(line.family == .other)
    }
}
