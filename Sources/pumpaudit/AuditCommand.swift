import ArgumentParser
import ClaimAudit
import ClaimIngest
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
            .txt and .psv files) and writes summary.md, report.html, findings.csv,
            findings.json and rejected.csv. With no input it audits SampleClaims/ into Reports/.
            """
    )

    @Argument(help: "Claim export files or folders.")
    var inputs: [String] = ["SampleClaims"]

    @Option(name: .shortAndLong, help: "The folder reports are written to.")
    var out: String = "Reports"

    @Option(
        help: ArgumentHelp(
            "A YAML file mapping canonical field names to the inputs' headers (\"{n}\" in a header for numbered columns), or FILE=MAP.yml for one input. Repeatable.",
            valueName: "map"))
    var columns: [String] = []

    @Option(
        name: .customLong("ptp"),
        help: ArgumentHelp(
            "A CMS NCCI practitioner PTP edit file (ccipra-*, tab-delimited text or CSV); replaces the built-in practitioner table. Repeatable.",
            valueName: "file"))
    var ptpFiles: [String] = []

    @Option(
        name: .customLong("ptp-outpatient"),
        help: ArgumentHelp(
            "A CMS NCCI outpatient hospital PTP edit file (ccioph-*); replaces the built-in outpatient table, used for institutional lines. Repeatable.",
            valueName: "file"))
    var ptpOutpatientFiles: [String] = []

    @Option(
        name: .customLong("mue"),
        help: ArgumentHelp(
            "The CMS practitioner services MUE file (MCR_MUE_PractitionerServices_*.csv); replaces the built-in table.",
            valueName: "file"))
    var mueFile: String?

    @Option(
        name: .customLong("mue-outpatient"),
        help: ArgumentHelp(
            "The CMS outpatient hospital services MUE file (MCR_MUE_OutpatientHospitalServices_*.csv); replaces the built-in table, used for institutional lines.",
            valueName: "file"))
    var mueOutpatientFile: String?

    @Option(
        help: ArgumentHelp(
            "A CSV of facility or service-location NPIs and the place of service each should carry (columns npi, place_of_service).",
            valueName: "file"))
    var locations: String?

    @Option(
        help: ArgumentHelp(
            "Settings file. Default: ./pumpaudit.yml, else $XDG_CONFIG_HOME/pumpaudit/pumpaudit.yml, if present.",
            valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("A YAML file of reviewed findings to suppress.", valueName: "file"))
    var suppressions: String?

    @Option(
        help: ArgumentHelp(
            "The history store of earlier runs (SQLite). Default: $XDG_DATA_HOME/pumpaudit/history.sqlite, else ~/.local/share/pumpaudit/history.sqlite.",
            valueName: "path"))
    var history: String?

    @Flag(help: "Neither read nor write a history store.")
    var noHistory = false

    @Option(
        help: ArgumentHelp(
            "Report findings only on lines of this month (YYYY-MM); other lines are context.", valueName: "YYYY-MM"))
    var period: String?

    @Option(help: ArgumentHelp("Report findings only on lines from this date (YYYY-MM-DD).", valueName: "date"))
    var from: String?

    @Option(help: ArgumentHelp("Report findings only on lines up to this date (YYYY-MM-DD).", valueName: "date"))
    var to: String?

    @Flag(
        help:
            "Replace patient ids in every export with a keyed hash (key: $PUMPAUDIT_PSEUDONYM_KEY or --pseudonym-key-file)."
    )
    var pseudonymize = false

    @Option(help: ArgumentHelp("A file holding the pseudonymization key (at least 16 bytes).", valueName: "file"))
    var pseudonymKeyFile: String?

    @Option(help: "How many cores read a large input (default: all of them; at most the cores available).")
    var jobs: Int?

    @Option(help: "The lowest severity that makes the run exit 1: info, warning, error or never.")
    var failOn: FailThreshold = .warning

    @Flag(
        help:
            "Accept NPIs that fail the CMS check digit (synthetic data); by default such a row is rejected, since a wrong NPI merges or splits providers."
    )
    var skipNPICheck = false

    @Option(
        help: ArgumentHelp(
            "The largest share of rows read that may be rejected before the run exits 2 (after writing its reports).",
            valueName: "percent"))
    var maxRejected = RejectedShare(share: 0.05)

    @Option(
        help: ArgumentHelp(
            "The field delimiter of every input: comma, tab, pipe, semicolon, or the character itself (default: found from each file's first rows).",
            valueName: "delimiter"))
    var delimiter: InputDelimiter?

    @Option(
        help: ArgumentHelp(
            "The text encoding of every input: utf-8, utf-16le, utf-16be or windows-1252 (default: found from each file's first bytes).",
            valueName: "encoding"))
    var encoding: InputEncoding?

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        if period != nil && (from != nil || to != nil) {
            throw ValidationError("--period cannot be combined with --from or --to")
        }
        if noHistory && history != nil {
            throw ValidationError("--history cannot be combined with --no-history")
        }
        if let jobs, jobs < 1 {
            throw ValidationError("--jobs must be at least 1")
        }
        if pseudonymKeyFile != nil && !pseudonymize {
            throw ValidationError("--pseudonym-key-file goes with --pseudonymize")
        }
        _ = try auditPeriod()
        do {
            _ = try ColumnsOption(columns)
        } catch let error as ColumnsOptionError {
            throw ValidationError(error.description)
        }
    }

    /// The reporting period the options name, if any.
    func auditPeriod() throws -> AuditPeriod? {
        do {
            if let period { return try AuditPeriod(month: period) }
            guard from != nil || to != nil else { return nil }
            return try AuditPeriod(from: from.map(AuditPeriod.date), to: to.map(AuditPeriod.date))
        } catch let error as AuditPeriodError {
            throw ValidationError(error.description)
        }
    }

    /// The history store's path, or nil with --no-history.
    var historyPath: String? {
        if noHistory { return nil }
        if let history { return history }
        let environment = ProcessInfo.processInfo.environment
        let dataHome =
            environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return dataHome + "/pumpaudit/history.sqlite"
    }

    func run() throws {
        // Reports, the history store and their temporary files hold patient data.
        umask(0o077)
        // A full disk or a file size limit is an error to report, not a signal that kills.
        signal(SIGXFSZ, SIG_IGN)
        TemporaryFiles.shared.installSignalHandlers()
        MemoryRelease.configure()
        var logger = Logger(label: "pumpaudit")
        logger.logLevel = quiet ? .error : .info
        let options = AuditRun.Options(
            inputs: inputs, outputFolder: out, columns: try ColumnsOption(columns),
            referenceFiles: ReferenceLoading.Files(
                practitionerPTP: ptpFiles, outpatientPTP: ptpOutpatientFiles, practitionerMUE: mueFile,
                outpatientMUE: mueOutpatientFile),
            locationsFile: locations, configFile: config, suppressionsFile: suppressions, historyPath: historyPath,
            period: try auditPeriod(), jobs: jobs.map { min($0, ProcessInfo.processInfo.activeProcessorCount) },
            checksNPIs: !skipNPICheck,
            pseudonymizer: pseudonymize ? try Pseudonymizer.load(keyFile: pseudonymKeyFile) : nil,
            delimiter: delimiter?.byte, encoding: encoding?.encoding)
        var run = AuditRun(options: options, logger: logger)
        let progress = quiet ? nil : ProgressBar.forStandardError()
        if let progress {
            run.onProgress = { file, bytes in progress.update(file: file, bytesRead: bytes) }
        }
        let result = try run.execute()
        progress?.finish()
        if !quiet {
            StandardError.write(result.oneLineSummary + "\n")
        }
        let problems = InputHealth(maxRejectedShare: maxRejected.share).problems(in: result.summary.inputs)
        if !problems.isEmpty {
            for problem in problems {
                StandardError.write("pumpaudit: \(problem)\n")
            }
            throw ExitCode(ExitStatus.cannotRun.rawValue)
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

/// `--delimiter`: a name or the character.
struct InputDelimiter: ExpressibleByArgument {
    var byte: UInt8

    init?(argument: String) {
        guard let byte = DelimiterSniffer.delimiter(named: argument) else { return nil }
        self.byte = byte
    }
}

/// `--encoding`.
struct InputEncoding: ExpressibleByArgument {
    var encoding: TextEncoding

    init?(argument: String) {
        guard let encoding = TextEncoding(name: argument) else { return nil }
        self.encoding = encoding
    }

    static var allValueStrings: [String] { TextEncoding.allCases.map(\.rawValue) }
}

/// `--max-rejected`: a percentage of the rows read, `5%` or `5`.
struct RejectedShare: ExpressibleByArgument {
    var defaultValueDescription: String { InputHealth.percent(share) }

    var share: Double

    init(share: Double) { self.share = share }

    init?(argument: String) {
        let digits = argument.hasSuffix("%") ? String(argument.dropLast()) : argument
        guard let percent = Double(digits), (0...100).contains(percent) else { return nil }
        share = percent / 100
    }
}
