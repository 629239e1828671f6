import ArgumentParser
import AuditReport
import Foundation

/// `pumpaudit verify-reports DIR`: whether a folder holds one run's whole set of
/// reports, as its `manifest.json` names them. For the tools that read reports
/// after a cron run, which may have been killed while it replaced them.
struct VerifyReportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-reports",
        abstract:
            "Check that a reports folder holds one run's whole set (exit 0), or say what is missing or mixed (exit 2).")

    @Argument(help: "The reports folder (the audit's --out).")
    var folder: String = "Reports"

    func run() throws {
        let problems = ReportSet.verify(folder: folder)
        guard problems.isEmpty else {
            for problem in problems { StandardError.write("pumpaudit: \(problem)\n") }
            throw ExitCode(ExitStatus.cannotRun.rawValue)
        }
        print("\(folder): one run's whole set of reports")
    }
}
