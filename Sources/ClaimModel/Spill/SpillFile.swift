import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A temporary file that holds a run's intermediate records (claim lines waiting for
/// their partition's audit, findings waiting for the reports).
///
/// It is made owner-only (`mkstemp` gives mode 0600) in the system's temporary folder
/// and unlinked at once: it lives exactly as long as its descriptor, so neither a
/// signal nor a SIGKILL can leave patient data behind, and no later run has anything
/// to clean. Writes go through a small buffer; reads are positioned (`pread`), so
/// several threads may read one file at once once writing is over.
public final class SpillFile: @unchecked Sendable {
    /// Bytes gathered before they are written out.
    public let bufferLimit: Int
    private var fd: Int32 = -1
    private var buffer: [UInt8] = []
    /// Bytes in the file, not counting the buffer.
    public private(set) var bytesWritten = 0
    /// What the file holds, for the messages of errors.
    private let purpose: String
    /// How the file's (never visible) name starts.
    private let namePrefix: String

    /// `purpose` names what the file holds in an error ("claim lines of the patient partitions").
    public init(purpose: String, bufferLimit: Int = 64 << 10, namePrefix: String = "pumpaudit-spill-") {
        self.purpose = purpose
        self.bufferLimit = bufferLimit
        self.namePrefix = namePrefix
    }

    /// Whether the file exists yet: it is made when the buffer first fills, or at a flush.
    public var hasFile: Bool { fd >= 0 }

    /// The bytes still in the buffer, not yet written out.
    public func withBuffer<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeBytes(body)
    }

    /// Empties the buffer without writing it out.
    public func discardBuffer() {
        buffer.removeAll(keepingCapacity: true)
    }

    /// Reads up to `count` bytes at `offset` of what was written out into `into`; the
    /// bytes read, 0 at the end, or -1 (with `errno`) on an error.
    public func read(at offset: Int, into: UnsafeMutableRawPointer, count: Int) -> Int {
        let wanted = min(count, bytesWritten - offset)
        guard wanted > 0 else { return 0 }
        while true {
            let got = pread(fd, into, wanted, off_t(offset))
            if got < 0 && errno == EINTR { continue }
            return got
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Bytes written so far, the buffered ones included: the offset of the next append.
    public var size: Int { bytesWritten + buffer.count }

    /// Appends `count` bytes that `body` writes into the spill's buffer.
    @inline(__always)
    public func append(_ body: (inout [UInt8]) -> Void) throws {
        body(&buffer)
        if buffer.count >= bufferLimit { try flush() }
    }

    /// Writes out the buffer.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        if fd < 0 { try openFile() }
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes {
                pwrite(fd, $0.baseAddress! + offset, $0.count - offset, off_t(bytesWritten + offset))
            }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw SpillError.cannotWrite(purpose, reason: SystemFile.reason(errno)) }
            offset += written
        }
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// The `count` bytes at `offset`. The spill must have been flushed past them.
    public func read(at offset: Int, count: Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        precondition(offset + count <= bytesWritten, "read past what was flushed")
        var done = 0
        var failure: Int32 = 0
        let out = [UInt8](unsafeUninitializedCapacity: count) { bytes, initialized in
            while done < count {
                let got = pread(fd, bytes.baseAddress! + done, count - done, off_t(offset + done))
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else {
                    failure = got < 0 ? errno : EIO
                    break
                }
                done += got
            }
            initialized = done
        }
        guard done == count else {
            throw SpillError.cannotRead(purpose, reason: SystemFile.reason(failure))
        }
        return out
    }

    private func openFile() throws {
        let folder = NSTemporaryDirectory()
        var template = Array(((folder as NSString).appendingPathComponent(namePrefix + "XXXXXX")).utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard made >= 0 else {
            throw SpillError.cannotWrite(
                purpose, reason: "cannot create a temporary file in \(folder): \(SystemFile.reason(errno))")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        fd = made
    }
}

/// A temporary file could not be written or read back.
public enum SpillError: Error, CustomStringConvertible, Equatable {
    case cannotWrite(String, reason: String)
    case cannotRead(String, reason: String)
    case damaged(String)

    public var description: String {
        switch self {
        case .cannotWrite(let purpose, let reason):
            return "a temporary file cannot hold the \(purpose): \(reason)"
        case .cannotRead(let purpose, let reason):
            return "the \(purpose) held in a temporary file cannot be read back: \(reason)"
        case .damaged(let purpose):
            return "the \(purpose) held in a temporary file are damaged"
        }
    }
}
