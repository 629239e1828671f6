import Foundation

/// An exclusive lock on an output folder for the length of a run, so that two runs
/// writing into one folder (with or without a history store) never mix their
/// reports: the second waits for the first, then fails with a clear message.
///
/// The lock is an `flock` on `.pumpaudit.lock` in the folder, opened without
/// following links and released by the kernel if the process dies.
final class OutputFolderLock {
    static let fileName = ".pumpaudit.lock"
    private let fd: Int32

    init(folder: String, timeout: TimeInterval = 120) throws {
        let path = (folder as NSString).appendingPathComponent(Self.fileName)
        fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw OutputFolderError.cannotLock(path: path, reason: String(cString: strerror(errno)))
        }
        let deadline = Date().addingTimeInterval(timeout)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else {
                close(fd)
                throw OutputFolderError.inUse(folder: folder, waitedSeconds: Int(timeout.rounded()))
            }
            usleep(100_000)
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// Why an output folder cannot be used.
enum OutputFolderError: Error, CustomStringConvertible {
    case cannotLock(path: String, reason: String)
    case inUse(folder: String, waitedSeconds: Int)

    var description: String {
        switch self {
        case .cannotLock(let path, let reason): return "\(path): cannot lock the output folder: \(reason)"
        case .inUse(let folder, let seconds):
            return "\(folder): another pumpaudit run is writing reports into this folder (waited \(seconds) s)"
        }
    }
}
