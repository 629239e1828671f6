import AuditReport
import Dispatch
import Foundation

/// The output folders of the run, whose staging folders (temporary report files of
/// patient data) are removed when SIGINT, SIGTERM or SIGHUP ends it. A folder is
/// registered before its staging folder is made, so no signal falls between the two.
/// (A SIGKILL cannot be caught; the next run into the same folder removes what it
/// left, see `ReportSet.removeStale`.)
final class TemporaryFiles: @unchecked Sendable {
    static let shared = TemporaryFiles()

    private let lock = NSLock()
    private var paths: Set<String> = []
    private var sources: [DispatchSourceSignal] = []

    func register(_ path: String) {
        lock.withLock { _ = paths.insert(path) }
    }

    func unregister(_ path: String) {
        lock.withLock { _ = paths.remove(path) }
    }

    /// Handles the signals that end a run: removes every registered path, then exits
    /// with 128 + the signal's number, as a shell reports a process ended by it.
    func installSignalHandlers() {
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            Foundation.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler { [self] in
                let folders = lock.withLock { paths }
                for folder in folders { ReportSet.removeOwnStaging(in: folder) }
                Foundation.exit(128 + signal)
            }
            source.resume()
            sources.append(source)
        }
    }
}
