#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where an input's bytes come from: a file, read through a descriptor, or bytes
/// already in memory, read without any file (the fuzzer's inputs, so that it runs
/// at memory speed). Every reader of an input, one-core or one range of several,
/// opens its own `InputHandle` on it.
public enum InputBytes: @unchecked Sendable {
    case file(String)
    /// Bytes the caller keeps alive for as long as ingest reads them.
    case memory(UnsafeRawBufferPointer)

    /// A handle positioned at the start.
    func open(name: String) throws -> InputHandle {
        switch self {
        case .file(let path):
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw IngestError.cannotOpen(file: name, reason: String(cString: strerror(errno))) }
            return InputHandle(descriptor: fd, owned: true)
        case .memory(let bytes):
            return InputHandle(memory: bytes)
        }
    }
}

/// A read position in an input: a descriptor, or a cursor over bytes in memory.
public final class InputHandle {
    private let descriptor: Int32
    private let owned: Bool
    private let memory: UnsafeRawBufferPointer?
    private var offset = 0

    /// A descriptor, closed with the handle when `owned`.
    public init(descriptor: Int32, owned: Bool = false) {
        self.descriptor = descriptor
        self.owned = owned
        self.memory = nil
    }

    public init(memory: UnsafeRawBufferPointer) {
        self.descriptor = -1
        self.owned = false
        self.memory = memory
    }

    deinit {
        if owned { close(descriptor) }
    }

    /// Moves the read position; false when the descriptor cannot seek.
    func seek(to position: Int) -> Bool {
        guard memory == nil else {
            offset = position
            return true
        }
        return lseek(descriptor, off_t(position), SEEK_SET) >= 0
    }

    /// Reads up to `count` bytes at the read position, as `read(2)` does: the count
    /// read, 0 at the end, -1 with `errno` on failure.
    func read(into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        guard let memory else {
            #if canImport(Glibc)
                return Glibc.read(descriptor, buffer, count)
            #else
                return Darwin.read(descriptor, buffer, count)
            #endif
        }
        let taken = copy(from: memory, at: offset, into: buffer, count: count)
        offset += taken
        return taken
    }

    /// Reads up to `count` bytes at `position` without moving the read position, as `pread(2)` does.
    func read(at position: Int, into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        guard let memory else { return pread(descriptor, buffer, count, off_t(position)) }
        return copy(from: memory, at: position, into: buffer, count: count)
    }

    private func copy(
        from memory: UnsafeRawBufferPointer, at position: Int, into buffer: UnsafeMutableRawPointer, count: Int
    )
        -> Int
    {
        let taken = max(0, min(count, memory.count - position))
        if taken > 0 { buffer.copyMemory(from: memory.baseAddress! + position, byteCount: taken) }
        return taken
    }
}
