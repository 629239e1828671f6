import ClaimModel
import Crypto
import Foundation

/// Writes report files atomically and readable by their owner only.
///
/// Reports hold patient data. Each file is written to a temporary file in the
/// target folder with mode 0600 and renamed into place, so a killed run leaves the
/// previous report whole and no other user can read either. A run writes its
/// reports as one `ReportSet`.
public enum ReportFileWriter {
    public static func write(_ text: String, to path: String) throws {
        let output = try AtomicOutputFile(path: path)
        try output.append(text)
        try output.commit()
    }

    /// Streams a report into `path`.
    public static func write(_ format: ReportFormat, of summary: AuditSummary, to path: String) throws {
        var output = try AtomicOutputFile(path: path)
        try format.write(summary, to: &output)
        try output.commit()
    }

    /// Creates the output folder (owner-only when new) and checks that it can be
    /// written, and that no other user can write in it: in a folder that others may
    /// write without the sticky bit, anyone could replace a report between its
    /// writing and its reading.
    public static func prepareFolder(_ path: String) throws {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw ReportError.notAFolder(path: path) }
        } else {
            do {
                try manager.createDirectory(
                    atPath: path, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700])
            } catch {
                throw ReportError.cannotWrite(path: path, reason: "cannot create the folder")
            }
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw ReportError.cannotWrite(path: path, reason: SystemFile.reason(errno))
        }
        let status: stat
        do {
            status = try SystemFile.status(path)
        } catch {
            throw ReportError.cannotWrite(path: path, reason: error.reason)
        }
        if status.st_mode & (S_IWGRP | S_IWOTH) != 0 && status.st_mode & S_ISVTX == 0 {
            throw ReportError.unsafeFolder(path: path)
        }
    }
}

/// A file being written: a hidden temporary beside the target until `commit()`
/// renames it into place. Dropped without a commit, it removes its temporary.
///
/// The temporary has a name no one can guess (`.<name>.<pid>.<random>.tmp`) and is
/// created with `O_EXCL | O_NOFOLLOW`, so a file or link planted in the folder is
/// never written through. The SHA-256 of what was written is kept for the manifest.
public final class AtomicOutputFile: TextOutputStream {
    public let path: String
    private let temporaryPath: String
    private var fd: Int32
    private var pending: [UInt8] = []
    private var committed = false
    private var hasher = SHA256()
    /// The SHA-256 of the file's bytes, in lower-case hex, once committed.
    public private(set) var sha256 = ""
    /// The first error met while streaming; `commit()` throws it.
    private var streamError: Error?

    public init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        temporaryPath =
            url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(random).tmp").path
        do {
            fd = try SystemFile.open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC)
        } catch {
            throw ReportError.cannotWrite(path: path, reason: error.reason)
        }
        pending.reserveCapacity(1 << 16)
    }

    deinit {
        if fd >= 0 { close(fd) }
        if !committed { unlink(temporaryPath) }
    }

    public func append(_ text: String) throws {
        pending.append(contentsOf: text.utf8)
        if pending.count >= 1 << 16 { try flush() }
    }

    /// `TextOutputStream`'s write: an error is kept for `commit()` to throw.
    public func write(_ text: String) {
        guard streamError == nil else { return }
        do {
            try append(text)
        } catch {
            streamError = error
        }
    }

    /// Flushes, syncs and renames the temporary file onto the target.
    public func commit() throws {
        if let streamError { throw streamError }
        try flush()
        guard fsync(fd) == 0, close(fd) == 0 else {
            fd = -1
            throw ReportError.cannotWrite(path: path, reason: SystemFile.reason(errno))
        }
        fd = -1
        guard rename(temporaryPath, path) == 0 else {
            throw ReportError.cannotWrite(path: path, reason: SystemFile.reason(errno))
        }
        committed = true
        sha256 = hasher.finalize().hexDigits
    }

    private func flush() throws {
        var offset = 0
        while offset < pending.count {
            let written = pending.withUnsafeBytes { bytes in
                Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            }
            guard written > 0 else {
                throw ReportError.cannotWrite(path: path, reason: SystemFile.reason(errno))
            }
            offset += written
        }
        hasher.update(data: pending)
        pending.removeAll(keepingCapacity: true)
    }
}

/// Problems that stop reporting.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    case notAFolder(path: String)
    case cannotWrite(path: String, reason: String)
    case unsafeFolder(path: String)

    public var description: String {
        switch self {
        case .unsafeFolder(let path):
            return "\(path): other users may write in this folder (group- or world-writable without the sticky bit); "
                + "reports hold patient data, so choose an owner-only folder or run chmod go-w on it"
        case .notAFolder(let path): return "\(path): the output path exists and is not a folder"
        case .cannotWrite(let path, let reason): return "\(path): cannot write: \(reason)"
        }
    }
}
