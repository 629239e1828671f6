import ClaimAudit
import ClaimModel
import Foundation
import Testing

@testable import AuditReport

@Suite struct SuppressionListTests {
    static let suppression = Suppression(
        rule: MUEExcessRule.description.identifier, target: .claim(id: "C1", line: nil), reason: "documented",
        reviewer: "J. Alvarez", expires: ServiceDate(year: 2027, month: 1, day: 31), source: "reviewed.yml:1")

    /// An instant as written in UTC.
    static func utc(_ text: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: text))
    }

    /// 04:30 UTC on February 1 is still January 31 in New York, and already the
    /// afternoon of February 1 in Auckland.
    @Test(arguments: [
        ("2027-02-01T04:30:00Z", "America/New_York", "2027-01-31", true),
        ("2027-02-01T04:30:00Z", "UTC", "2027-02-01", false),
        ("2027-02-01T04:30:00Z", "Pacific/Auckland", "2027-02-01", false),
        ("2027-01-31T11:30:00Z", "Pacific/Auckland", "2027-02-01", false),
        ("2027-01-31T11:30:00Z", "UTC", "2027-01-31", true),
        ("2027-01-31T23:59:59Z", "America/Los_Angeles", "2027-01-31", true),
    ])
    func anExpiryIsTheLastLocalDay(instant: String, zone: String, day: String, inForce: Bool) throws {
        let timeZone = try #require(TimeZone(identifier: zone))
        let now = try Self.utc(instant)
        #expect(SuppressionList.day(of: now, in: timeZone).description == day)
        let list = SuppressionList([Self.suppression], now: now, timeZone: timeZone)
        #expect(list.active.count == (inForce ? 1 : 0))
        #expect(list.expired.count == (inForce ? 0 : 1))
    }

    /// A provider target matches the rule's findings about that provider, never a line's finding.
    @Test func aProviderSuppressionMatchesOnlyThatProvidersFinding() {
        let suppression = Suppression(
            rule: ProviderOutlierRule.description.identifier, target: .provider("1999999992"), reason: "reviewed",
            reviewer: "J. Alvarez", expires: nil, source: "reviewed.yml:1")
        let list = SuppressionList([suppression], today: ServiceDate(year: 2026, month: 12, day: 1)!)
        func aboutProvider(_ npi: String) -> Finding {
            Finding(
                ProviderOutlierRule.self, .warning,
                about: ProviderSubject(npi: npi, measure: "physician_skill_share"), "share far above its peers")
        }
        #expect(list.match(aboutProvider("1999999992")) == suppression)
        #expect(list.match(aboutProvider("1700001013")) == nil)
        let line = ClaimLine(
            source: SourceLocation(file: "in.csv", line: 2), claimID: "1999999992", patientID: "1999999992",
            serviceDate: ServiceDate(year: 2026, month: 10, day: 5)!, code: "95991", renderingNPI: "1999999992")
        let onLine = Finding(
            ruleID: ProviderOutlierRule.description.identifier, severity: .warning, line: line,
            message: "a line's finding", citation: "test")
        #expect(list.match(onLine) == nil)
    }

    @Test func aSuppressionWithoutExpiryStaysInForce() throws {
        var suppression = Self.suppression
        suppression.expires = nil
        let list = SuppressionList([suppression], now: try Self.utc("2099-12-31T12:00:00Z"), timeZone: .current)
        #expect(list.active == [suppression])
        #expect(list.expired.isEmpty)
    }
}
