import ClaimModel
import TestSupport
import Testing

@testable import ClaimAudit

/// `provider_outlier`: each provider's share of physician-skill refills (and of refill
/// visits with E/M+25) against the pooled share of the others.
@Suite struct ProviderOutlierRuleTests {
    static let end = ServiceDate(year: 2026, month: 12, day: 31)!

    /// A panel: each provider bills `refills` refills, of which `skilled` are 95991 (the
    /// rest 95990), one patient and date per refill, dates spread over the window.
    static func panel(_ providers: [(npi: String, refills: Int, skilled: Int)], emWith25: [String: Int] = [:])
        -> [ClaimLine]
    {
        var lines: [ClaimLine] = []
        for provider in providers {
            for i in 0..<provider.refills {
                let date = end.adding(days: -(i * 7) % 360)
                let patient = "P-\(provider.npi)-\(i)"
                let skilled = i < provider.skilled
                lines.append(
                    ClaimLine(
                        source: SourceLocation(file: "panel.csv", line: lines.count + 2), claimID: "C\(lines.count)",
                        lineNumber: 1, patientID: patient, serviceDate: date, code: skilled ? "95991" : "95990",
                        renderingNPI: provider.npi, paidAmount: Money(cents: skilled ? 16_000 : 11_000)))
                if i < emWith25[provider.npi, default: 0] {
                    lines.append(
                        ClaimLine(
                            source: SourceLocation(file: "panel.csv", line: lines.count + 2),
                            claimID: "C\(lines.count)", lineNumber: 1, patientID: patient, serviceDate: date,
                            code: "99213", modifiers: ["25"], renderingNPI: provider.npi,
                            paidAmount: Money(cents: 9_000)))
                }
            }
        }
        return lines
    }

    static func configuration() -> AuditConfiguration {
        var configuration = AuditConfiguration()
        configuration.latestServiceDate = end
        return configuration
    }

    static func findings(_ lines: [ClaimLine], configuration: AuditConfiguration = configuration()) -> [Finding] {
        let engine = AuditEngine(configuration: configuration, rules: [ProviderOutlierRule.self])
        return engine.findings(from: engine.audit(lines).partials)
    }

    /// Twelve providers near 15%, one near 95%.
    static let mixedPanel: [(npi: String, refills: Int, skilled: Int)] =
        (0..<12).map {
            (npi: "10000000\($0 < 10 ? "0" : "")\($0)", refills: 30 + $0 * 3, skilled: (30 + $0 * 3) * 15 / 100)
        }
        + [(npi: "1999999992", refills: 40, skilled: 38)]

    @Test func aPanelNear15PercentFlagsOnlyTheProviderNear95Percent() throws {
        let findings = Self.findings(Self.panel(Self.mixedPanel))
        #expect(findings.map(\.providerNPI) == ["1999999992"])
        let finding = try #require(findings.first)
        #expect(finding.line == nil && finding.related == nil)
        #expect(finding.severity == .warning)
        #expect(finding.provider?.measure == "physician_skill_share")
        #expect(finding.message.text.contains("38 of 40 professional refills (95.0%)"), "\(finding.message)")
        #expect(finding.message.text.contains("to 2026-12-31"))
        // Amount at risk: the peers' share is 70/444 (every other provider's skilled
        // refills over their refills); the excess 38 - 40 x 70/444 refills, each at
        // $160.00 - $110.00 = $50.00.
        let peersSkilled = Self.mixedPanel.dropLast().reduce(0) { $0 + $1.skilled }
        let peersRefills = Self.mixedPanel.dropLast().reduce(0) { $0 + $1.refills }
        let excess = 38 - 40 * Double(peersSkilled) / Double(peersRefills)
        #expect(finding.amountAtRisk == Money(cents: Int64((excess * 5_000).rounded())))
        #expect(finding.message.text.contains("x 50.00"))
    }

    /// Below `min_refills` no share is flagged, not even every refill at the skill level.
    @Test(arguments: [1, 5, 10, 19])
    func aProviderBelowTheMinimumVolumeIsNeverFlagged(refills: Int) {
        let panel = Self.mixedPanel.dropLast() + [(npi: "1999999992", refills: refills, skilled: refills)]
        #expect(Self.findings(Self.panel(Array(panel))).isEmpty)
        // One more refill, at the minimum of 20... only from 20 on.
        let atMinimum = Self.mixedPanel.dropLast() + [(npi: "1999999992", refills: 20, skilled: 20)]
        #expect(Self.findings(Self.panel(Array(atMinimum))).map(\.providerNPI) == ["1999999992"])
    }

    @Test func theRatioMustBeMetTooNotOnlyThePValue() {
        // 2,000 refills at 18% against peers at 15%: p is tiny, the ratio only 1.2.
        let panel = [
            (npi: "1000000001", refills: 4000, skilled: 600), (npi: "1999999992", refills: 2000, skilled: 360),
        ]
        #expect(Self.findings(Self.panel(panel)).isEmpty)
        var configuration = Self.configuration()
        configuration[settingsOf: ProviderOutlierRule.self].minimumRatio = 1.1
        #expect(Self.findings(Self.panel(panel), configuration: configuration).map(\.providerNPI) == ["1999999992"])
    }

    @Test func refillVisitsWithAnEMAnd25AreTheSecondMeasure() throws {
        let panel = Self.mixedPanel.dropLast() + [(npi: "1999999992", refills: 40, skilled: 6)]
        var emWith25 = Dictionary(uniqueKeysWithValues: Self.mixedPanel.dropLast().map { ($0.npi, $0.refills / 10) })
        emWith25["1999999992"] = 36
        let findings = Self.findings(Self.panel(Array(panel), emWith25: emWith25))
        let finding = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(
            finding.provider
                == ProviderSubject(npi: "1999999992", measure: "em25_share", amountAtRisk: finding.amountAtRisk))
        #expect(finding.message.text.contains("E/M with modifier 25 on 36 of 40 refill visits"))
        #expect(finding.amountAtRisk > .zero)
    }

    @Test func withoutPaidAmountsTheAmountAtRiskIsZeroAndSaidSo() throws {
        let lines = Self.panel(Self.mixedPanel).map { line in
            ClaimLine(
                source: line.source, claimID: line.claimID, lineNumber: 1, patientID: line.patientID,
                serviceDate: line.serviceDate, code: line.code, renderingNPI: line.renderingNPI)
        }
        let finding = try #require(Self.findings(lines).first)
        #expect(finding.amountAtRisk == .zero)
        #expect(finding.message.text.contains("amount at risk not estimated"))
    }

    @Test func linesBeforeTheWindowAreNotCounted() {
        // The flagged provider's refills, moved 13 months back, fall out of the window.
        let lines = Self.panel(Self.mixedPanel).map { line in
            guard line.renderingNPI == "1999999992" else { return line }
            var moved = line
            moved.serviceDate = line.serviceDate.adding(days: -400)
            return moved
        }
        #expect(Self.findings(lines).isEmpty)
        var configuration = Self.configuration()
        configuration[settingsOf: ProviderOutlierRule.self].windowMonths = 18
        #expect(Self.findings(lines, configuration: configuration).map(\.providerNPI) == ["1999999992"])
    }

    @Test func historyLinesCountAsMuchAsTheRunsOwn() {
        let lines = Self.panel(Self.mixedPanel)
        let engine = AuditEngine(configuration: Self.configuration(), rules: [ProviderOutlierRule.self])
        let whole = engine.findings(from: engine.audit(lines).partials)
        // Some patients' lines split between the run and the history of their partition,
        // others' only in the store (patients outside the run), the rest only in the run:
        // the same totals.
        let split = lines.filter { $0.patientID.hasSuffix("0") }
        let inPartition = engine.audit(
            split.filter { !$0.claimID.hasSuffix("1") },
            history: split.filter { $0.claimID.hasSuffix("1") }
        ).partials
        let outside = engine.contributions(ofHistory: lines.filter { $0.patientID.hasSuffix("5") })
        let rest = engine.audit(lines.filter { !$0.patientID.hasSuffix("0") && !$0.patientID.hasSuffix("5") }).partials
        let merged = engine.merge(engine.merge(inPartition, outside), rest)
        #expect(engine.findings(from: merged) == whole)
        #expect(!whole.isEmpty)
    }

    @Test func partitionsMergedInAnyOrderDecideAsOneWholeAudit() {
        let lines = Self.panel(Self.mixedPanel)
        let engine = AuditEngine(configuration: Self.configuration(), rules: [ProviderOutlierRule.self])
        let whole = engine.audit(lines)
        let expected = engine.findings(from: whole.partials)
        #expect(expected.count == 1)
        for partitions in [2, 7] {
            let parts = (0..<partitions).map { partition in
                engine.audit(lines.filter { abs($0.patientID.hashValue) % partitions == partition }).partials
            }
            for order in [Array(parts.indices), parts.indices.reversed()] {
                let merged = order.reduce(RulePartials()) { engine.merge($0, parts[$1]) }
                #expect(engine.findings(from: merged) == expected)
                #expect(engine.sections(from: merged) == engine.sections(from: whole.partials))
            }
        }
    }

    /// The history store's ledger knows a provider's finding again by rule, provider and
    /// measure, whatever its wording or figures; it sorts after every line's finding.
    @Test func aProvidersFindingIsKnownByProviderAndMeasure() {
        func finding(_ npi: String, _ measure: String, _ text: String) -> Finding {
            Finding(ProviderOutlierRule.self, .warning, about: ProviderSubject(npi: npi, measure: measure), .init(text))
        }
        let key = finding("1999999992", "physician_skill_share", "38 of 40").identityKey
        #expect(finding("1999999992", "physician_skill_share", "39 of 41").identityKey == key)
        #expect(finding("1999999992", "em25_share", "38 of 40").identityKey != key)
        #expect(finding("1700001013", "physician_skill_share", "38 of 40").identityKey != key)
        let onLine = Finding(
            ruleID: "unbundling", severity: .error, line: Self.panel([(npi: "1700001013", refills: 1, skilled: 0)])[0],
            message: "x", citation: "y")
        #expect(Finding.reportOrder(onLine, finding("1", "m", "z")))
        #expect(!Finding.reportOrder(finding("1", "m", "z"), onLine))
    }

    @Test func theSectionsListEveryProviderWithTheirFigures() throws {
        let engine = AuditEngine(configuration: Self.configuration(), rules: [ProviderOutlierRule.self])
        let sections = engine.sections(from: engine.audit(Self.panel(Self.mixedPanel)).partials)
        #expect(sections.map(\.id) == ["provider-outlier-skill", "provider-outlier-em25"])
        guard case .providerComparison(let comparison) = sections[0].metric else {
            Issue.record("no comparison")
            return
        }
        #expect(comparison.rows.count == 13)
        #expect(comparison.rows.filter(\.flagged).map(\.npi) == ["1999999992"])
        let flagged = try #require(comparison.rows.last)
        #expect(flagged.volume == 40 && flagged.count == 38)
        #expect(
            abs(
                comparison.pooledShare - Double(Self.mixedPanel.reduce(0) { $0 + $1.skilled })
                    / Double(Self.mixedPanel.reduce(0) { $0 + $1.refills })) < 1e-12)
    }
}
