import ArgumentParser
import ClaimAudit
import Foundation
import Logging

/// `pumpaudit audit`: options in, an `AuditRun` does the work, an exit code out.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit claim exports and write reports.",
        discussion: """
            Reads CSV, TSV or pipe-delimited claim exports (files, or folders of .csv, .tsv,
            .txt and .psv files) and writes findings.csv, rejected.csv and summary.md.
            With no input it audits SampleClaims/ into Reports/.
            """
    )

    @Argument(help: "Claim export files or folders.")
    var inputs: [String] = ["SampleClaims"]

    @Option(name: .shortAndLong, help: "The folder reports are written to.")
    var out: String = "Reports"

    @Option(help: "A YAML file mapping canonical field names to this export's headers.")
    var columns: String?

    @Option(name: .customLong("ptp"), help: ArgumentHelp("A CMS NCCI practitioner PTP edit file (tab-delimited text or CSV). Repeatable.", valueName: "file"))
    var ptpFiles: [String] = []

    @Option(name: .customLong("mue"), help: ArgumentHelp("The CMS practitioner MUE file (CSV).", valueName: "file"))
    var mueFile: String?

    @Option(help: "The lowest severity that makes the run exit 1: info, warning, error or never.")
    var failOn: FailThreshold = .warning

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        var logger = Logger(label: "pumpaudit")
        logger.logLevel = quiet ? .error : .info
        let run = AuditRun(inputs: inputs, outputFolder: out, columnsFile: columns, ptpFiles: ptpFiles, mueFile: mueFile,
                           logger: logger)
        let result = try run.execute()
        if !quiet {
            FileHandle.standardError.write(Data((result.oneLineSummary + "\n").utf8))
        }
        if failOn.isMet(by: result.highestSeverity) {
            throw ExitCode(ExitStatus.findings.rawValue)
        }
    }
}

/// The `--fail-on` threshold.
enum FailThreshold: String, ExpressibleByArgument, CaseIterable {
    case info, warning, error, never

    func isMet(by highest: Severity?) -> Bool {
        guard let highest, let threshold = Severity(rawValue: rawValue) else { return false }
        return highest >= threshold
    }
}
