import Foundation
import TestSupport
import Testing

/// `provider_outlier` through the built binary: the same findings and tables whatever
/// the cores, and whether the earlier months come from the history store or the run.
@Suite struct ProviderOutlierRunTests {
    static let panel = SampleAuditTests.samples + "/08_provider_panel.csv"

    /// The findings of the rule, without the columns that name the run's inputs (status,
    /// first seen), and the summary's section of the comparisons.
    private func outcome(_ scratch: ScratchFolder, _ folder: String) throws -> (findings: [[String]], tables: String) {
        let rows = parseCSV(try scratch.read("\(folder)/findings.csv")).dropFirst().filter {
            $0[0] == "provider_outlier"
        }
        let summary = try scratch.read("\(folder)/summary.md")
        let start = try #require(summary.range(of: "## Providers compared with their peers"))
        let end = summary.range(of: "\n## ", range: start.upperBound..<summary.endIndex)?.lowerBound ?? summary.endIndex
        return (rows.map { [$0[0], $0[1], $0[7], $0[10], $0[16]] }, String(summary[start.lowerBound..<end]))
    }

    /// Standard input counts as a large input: its lines spread over every partition,
    /// so that two cores finish them in another order than one.
    @Test func oneCoreAndTwoCoresGiveTheSameFindingsAndTables() throws {
        let scratch = ScratchFolder()
        var outcomes: [[String]] = []
        var tables: [String] = []
        for jobs in ["1", "2"] {
            let run = try PumpAuditProcess.run(
                ["audit", "-", "--out", "out-\(jobs)", "--no-history", "--jobs", jobs], in: scratch.path,
                stdin: Self.panel)
            #expect(run.status == 1, "\(run.stderr)")
            let result = try outcome(scratch, "out-\(jobs)")
            outcomes.append(result.findings.flatMap { $0 })
            tables.append(result.tables)
            #expect(try scratch.read("out-\(jobs)/findings.csv") == (try scratch.read("out-1/findings.csv")))
        }
        #expect(outcomes[0] == outcomes[1])
        #expect(tables[0] == tables[1])
        #expect(outcomes[0].contains("1999999992"))
    }

    /// Pseudonymised, a finding about a provider stays whole (it names no patient) and a
    /// suppression by provider takes it out of the count.
    @Test func pseudonymsAndSuppressionsLeaveTheProvidersFindingWhole() throws {
        let scratch = ScratchFolder()
        scratch.write(
            "reviewed.yml",
            """
            - rule: provider_outlier
              provider: "1999999992"
              reason: Tertiary referral center
              reviewer: J. Alvarez
            """)
        let run = try PumpAuditProcess.run(
            ["audit", Self.panel, "--out", "out", "--no-history", "--pseudonymize", "--suppressions", "reviewed.yml"],
            in: scratch.path, environment: ["PUMPAUDIT_PSEUDONYM_KEY": "a key of thirty-two bytes or more!!"])
        #expect(run.status == 0, "the only finding is suppressed: \(run.stderr)")
        let rows = parseCSV(try scratch.read("out/findings.csv")).dropFirst()
        let finding = try #require(rows.first { $0[0] == "provider_outlier" })
        #expect(finding[2...6].allSatisfy { $0.isEmpty }, "no claim, line, patient, date or code")
        #expect(finding[13] == "suppressed" && finding[16] == "1999999992")
        #expect(try scratch.read("out/summary.md").contains("| provider_outlier | provider 1999999992 |"))
    }

    /// The thresholds are settings of `pumpaudit.yml`: with a minimum of 31 refills the
    /// provider with 30 is no longer compared; a larger window changes nothing here.
    @Test func theSettingsComeFromTheConfigurationFile() throws {
        let scratch = ScratchFolder()
        scratch.write("strict.yml", "rules:\n  provider_outlier:\n    min_refills: 31\n    window_months: 18\n")
        let run = try PumpAuditProcess.run(
            ["audit", Self.panel, "--out", "out", "--no-history", "--config", "strict.yml"], in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try outcome(scratch, "out").findings.isEmpty)
        #expect(try scratch.read("out/summary.md").contains("provider\\_outlier.min\\_refills = 31"))
        scratch.write("bad.yml", "rules:\n  provider_outlier:\n    p_value: 2\n")
        let bad = try PumpAuditProcess.run(
            ["audit", Self.panel, "--out", "bad", "--no-history", "--config", "bad.yml"], in: scratch.path)
        #expect(bad.status == 2 && bad.stderr.contains("p_value"), "\(bad.stderr)")
    }

    /// The panel month by month into a store, then the last month again: the same
    /// findings and tables as the whole year in one run without a store. The later runs
    /// hold only some of the panel's patients: the others' refills come from the store.
    @Test func earlierMonthsFromTheStoreCountAsIfTheRunHeldThem() throws {
        let scratch = ScratchFolder()
        let text = try String(contentsOfFile: Self.panel, encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.removeFirst()
        let dateColumn = try #require(header.split(separator: ",").firstIndex(of: "claim_line_start_date"))
        let months = Dictionary(grouping: lines) { String($0.split(separator: ",")[dateColumn].prefix(7)) }
        let order = months.keys.sorted()
        #expect(order.count >= 12)

        let whole = try PumpAuditProcess.run(
            ["audit", Self.panel, "--out", "whole", "--no-history"], in: scratch.path)
        #expect(whole.status == 1, "\(whole.stderr)")
        let expected = try outcome(scratch, "whole")
        #expect(expected.findings.map { $0[4] } == ["1999999992"])

        for (index, month) in order.enumerated() {
            scratch.write("month-\(month).csv", ([header] + months[month]!).joined(separator: "\n") + "\n")
            let run = try PumpAuditProcess.run(
                ["audit", "month-\(month).csv", "--out", "out-\(index)", "--history", "store.sqlite"],
                in: scratch.path)
            #expect(run.status <= 1, "\(month): \(run.stderr)")
        }
        let last = try outcome(scratch, "out-\(order.count - 1)")
        #expect(last.findings == expected.findings)
        #expect(last.tables == expected.tables)

        // The last month again: its claims replace their stored copies, nothing counts twice.
        let again = try PumpAuditProcess.run(
            ["audit", "month-\(order.last!).csv", "--out", "again", "--history", "store.sqlite"], in: scratch.path)
        #expect(again.status == 1, "\(again.stderr)")
        #expect(try outcome(scratch, "again").findings == expected.findings)
        #expect(try outcome(scratch, "again").tables == expected.tables)
    }
}
