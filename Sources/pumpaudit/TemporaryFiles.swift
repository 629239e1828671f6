import Dispatch
import Foundation

/// Temporary files and folders of the run, removed when SIGINT, SIGTERM or SIGHUP
/// ends it. (A SIGKILL cannot be caught; the next run into the same folder removes
/// what it left, see `ReportSet.removeStale`.)
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
                let doomed = lock.withLock { paths }
                for path in doomed { try? FileManager.default.removeItem(atPath: path) }
                Foundation.exit(128 + signal)
            }
            source.resume()
            sources.append(source)
        }
    }
}
