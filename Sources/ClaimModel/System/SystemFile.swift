#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file system calls every stage makes (open, stat), in one place, each failure
/// carrying the system's own words for it; callers wrap those words in their errors.
public enum SystemFile {
    /// A call that failed, with the system's reason (`strerror`).
    public struct Failure: Error, CustomStringConvertible {
        public let reason: String

        public var description: String { reason }

        /// The failure `errno` names now.
        public init(errno code: Int32 = errno) {
            reason = SystemFile.reason(code)
        }
    }

    /// The system's words for an error number.
    public static func reason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// A descriptor on `path`, which the caller closes. Creating flags take `mode`.
    public static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o600) throws(Failure) -> Int32 {
        #if canImport(Glibc)
            let descriptor = Glibc.open(path, flags, mode)
        #else
            let descriptor = Darwin.open(path, flags, mode)
        #endif
        guard descriptor >= 0 else { throw Failure() }
        return descriptor
    }

    /// What the system knows of `path`: of a link itself when not `followingLinks`.
    public static func status(_ path: String, followingLinks: Bool = true) throws(Failure) -> stat {
        var status = stat()
        let result = followingLinks ? stat(path, &status) : lstat(path, &status)
        guard result == 0 else { throw Failure() }
        return status
    }
}
