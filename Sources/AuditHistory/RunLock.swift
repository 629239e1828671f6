import ClaimModel
import Foundation

/// An exclusive lock on a history store for the length of a run.
///
/// SQLite already keeps concurrent writers from corrupting the file; this lock
/// keeps a second run from reading history while the first is between reading and
/// writing it, which would give the second run stale context. The second run waits,
/// then fails with a clear message. The lock is a `FileLock` on a file beside the store.
final class RunLock {
    private let lock: FileLock

    init(storePath: String, timeout: TimeInterval) throws {
        let path = storePath + ".lock"
        do {
            lock = try FileLock(path: path, timeout: timeout)
        } catch {
            switch error {
            case .cannotOpen(let reason):
                throw HistoryError.cannotOpen(path: storePath, reason: "cannot create \(path): \(reason)")
            case .held:
                throw HistoryError.inUse(path: storePath, waitedSeconds: Int(timeout.rounded()))
            }
        }
    }
}
