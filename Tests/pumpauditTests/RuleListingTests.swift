import ClaimAudit
import Foundation
import TestSupport
import Testing

@Suite struct RuleListingTests {
    static let ids = RuleRegistry.all.map { $0.description.identifier }

    @Test func rulesListsEveryRuleWithSeveritySettingsAndSource() throws {
        let scratch = ScratchFolder()
        let run = try PumpAuditProcess.run(["rules"], in: scratch.path)
        #expect(run.status == 0)
        for id in Self.ids {
            #expect(run.stdout.contains("\n\(id) (") || run.stdout.hasPrefix("\(id) ("), "\(id)")
        }
        #expect(run.stdout.contains("setting min_refill_days = 14"))
        #expect(run.stdout.contains("Source: NCCI PTP edits"))
    }

    @Test(arguments: ids)
    func explainShowsTheExamples(id: String) throws {
        let scratch = ScratchFolder()
        let run = try PumpAuditProcess.run(["explain", id], in: scratch.path)
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("\(id) ("))
        #expect(run.stdout.contains("Rows it flags"))
        #expect(run.stdout.contains("↓"))
        #expect(run.stdout.contains("Rows it leaves alone"))
    }

    /// A rule across patients flags providers, not rows: `explain` names them and the method.
    @Test func explainingProviderOutlierNamesTheProviderAndTheMethod() throws {
        let scratch = ScratchFolder()
        let run = try PumpAuditProcess.run(["explain", "provider_outlier"], in: scratch.path)
        #expect(run.status == 0)
        #expect(run.stdout.contains("flags the provider(s) 1999999992, on no row"))
        #expect(run.stdout.contains("one-sided exact binomial test"))
        #expect(run.stdout.contains("setting min_refills = 20"))
        #expect(run.stdout.contains("setting p_value = 0.001"))
        #expect(run.stdout.contains("setting min_ratio = 1.5"))
    }

    @Test func explainingAnUnknownRuleExitsTwoAndListsTheRules() throws {
        let scratch = ScratchFolder()
        let run = try PumpAuditProcess.run(["explain", "no_such_rule"], in: scratch.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains(Self.ids.joined(separator: ", ")), "\(run.stderr)")
    }
}
