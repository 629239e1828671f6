#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive `flock` on a file, held for as long as the value lives and released by
/// the kernel if the process dies: how a run keeps a second run out of a history store
/// or an output folder. The file is opened without following links, so a link planted
/// beside the store or in the folder is never opened through.
public final class FileLock {
    public enum Failure: Error {
        /// The lock file cannot be opened or created, with the system's reason.
        case cannotOpen(reason: String)
        /// Another process held the lock for the whole wait.
        case held
    }

    private let descriptor: Int32

    /// Waits up to `timeout` seconds for the lock on `path`, creating the file if need be.
    public init(path: String, timeout: Double) throws(Failure) {
        do {
            descriptor = try SystemFile.open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC)
        } catch {
            throw .cannotOpen(reason: error.reason)
        }
        let deadline = ContinuousClock.now + .seconds(timeout)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, ContinuousClock.now < deadline else {
                close(descriptor)
                throw .held
            }
            usleep(100_000)
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
