import Foundation

/// An exclusive lock on a history store for the length of a run.
///
/// SQLite already keeps concurrent writers from corrupting the file; this lock
/// keeps a second run from reading history while the first is between reading and
/// writing it, which would give the second run stale context. The second run waits,
/// then fails with a clear message. The lock is an `flock` on a file beside the
/// store, released by the kernel if the process dies.
final class RunLock {
    private let fd: Int32

    init(storePath: String, timeout: TimeInterval) throws {
        let path = storePath + ".lock"
        // O_NOFOLLOW: a link planted in the store's folder is never opened through.
        fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw HistoryError.cannotOpen(
                path: storePath, reason: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                close(fd)
                throw HistoryError.inUse(path: storePath, waitedSeconds: Int(timeout.rounded()))
            }
            usleep(100_000)
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
