import ArgumentParser
import ClaimAudit
import ClaimModel
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

    @Option(help: ArgumentHelp("A CSV of facility or service-location NPIs and the place of service each should carry (columns npi, place_of_service).", valueName: "file"))
    var locations: String?

    @Option(help: ArgumentHelp("The history store of earlier runs (SQLite). Default: $XDG_DATA_HOME/pumpaudit/history.sqlite, else ~/.local/share/pumpaudit/history.sqlite.", valueName: "path"))
    var history: String?

    @Flag(help: "Neither read nor write a history store.")
    var noHistory = false

    @Option(help: ArgumentHelp("Report findings only on lines of this month (YYYY-MM); other lines are context.", valueName: "YYYY-MM"))
    var period: String?

    @Option(help: ArgumentHelp("Report findings only on lines from this date (YYYY-MM-DD).", valueName: "date"))
    var from: String?

    @Option(help: ArgumentHelp("Report findings only on lines up to this date (YYYY-MM-DD).", valueName: "date"))
    var to: String?

    @Option(help: "The lowest severity that makes the run exit 1: info, warning, error or never.")
    var failOn: FailThreshold = .warning

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if period != nil && (from != nil || to != nil) {
            throw ValidationError("--period cannot be combined with --from or --to")
        }
        if noHistory && history != nil {
            throw ValidationError("--history cannot be combined with --no-history")
        }
        _ = try auditPeriod()
    }

    /// The reporting period the options name, if any.
    func auditPeriod() throws -> AuditPeriod? {
        do {
            if let period { return try AuditPeriod(month: period) }
            guard from != nil || to != nil else { return nil }
            let first = try from.map(AuditPeriod.date) ?? ServiceDate(dayNumber: Int32.min / 2)
            let last = try to.map(AuditPeriod.date) ?? ServiceDate(dayNumber: Int32.max / 2)
            return try AuditPeriod(first: first, last: last)
        } catch let error as AuditPeriodError {
            throw ValidationError(error.description)
        }
    }

    /// The history store's path, or nil with --no-history.
    var historyPath: String? {
        if noHistory { return nil }
        if let history { return history }
        let environment = ProcessInfo.processInfo.environment
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return dataHome + "/pumpaudit/history.sqlite"
    }

    func run() throws {
        var logger = Logger(label: "pumpaudit")
        logger.logLevel = quiet ? .error : .info
        let run = AuditRun(inputs: inputs, outputFolder: out, columnsFile: columns, ptpFiles: ptpFiles, mueFile: mueFile,
                           locationsFile: locations, historyPath: historyPath, period: try auditPeriod(), logger: logger)
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
