import ClaimModel
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Diagnostics on standard error, written so that a reader who has gone away cannot
/// change how the run ends.
///
/// `FileHandle.write` traps when the write fails, so a cron job whose log pipe closed
/// early (EPIPE) or that started with standard error closed (EBADF) used to die with a
/// trap after its reports were written. Here a failed write is dropped: the exit code
/// and the reports are what the run answers with.
enum StandardError {
    static func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(STDERR_FILENO, $0.baseAddress!, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Called first thing: SIGPIPE would kill the run at its first write to a closed
    /// pipe, and a closed descriptor 0, 1 or 2 would be handed to the next file opened
    /// (a report, the history store), where diagnostics would then land.
    static func prepareProcess() {
        signal(SIGPIPE, SIG_IGN)
        for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(fd, F_GETFD) == -1 {
            let opened = (try? SystemFile.open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY)) ?? -1
            if opened >= 0 && opened != fd {
                dup2(opened, fd)
                close(opened)
            }
        }
    }
}
