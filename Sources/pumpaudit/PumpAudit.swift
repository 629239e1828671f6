import ArgumentParser
import Foundation

/// The `pumpaudit` command.
///
/// Exit codes, for cron: 0 no finding at or above `--fail-on`, 1 such findings,
/// 2 the audit could not run (bad usage, an unreadable input, a missing column).
@main
struct PumpAudit: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "pumpaudit",
        abstract: "Audit claims for implanted intrathecal/epidural infusion pump services.",
        version: version,
        subcommands: [AuditCommand.self, RulesCommand.self, ExplainCommand.self, VerifyReportsCommand.self],
        defaultSubcommand: AuditCommand.self
    )

    /// ArgumentParser's own usage errors exit 64; pumpaudit's contract says 2.
    static func main() {
        StandardError.prepareProcess()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            if exitCode(for: error) == .success {
                exit(withError: error)
            }
            StandardError.write("pumpaudit: \(fullMessage(for: error))\n")
            Foundation.exit(ExitStatus.cannotRun.rawValue)
        }
    }
}

/// The exit codes cron jobs rely on.
enum ExitStatus: Int32 {
    case clean = 0
    case findings = 1
    case cannotRun = 2
}
