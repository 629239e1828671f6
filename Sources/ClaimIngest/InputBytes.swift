import ClaimModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where an input's bytes come from: a file, read through a descriptor; standard
/// input, read once as a stream; or bytes already in memory, read without any file
/// (the fuzzer's inputs, so that it runs at memory speed). Every reader of an input,
/// one-core or one range of several, opens its own `InputHandle` on it.
///
/// An input is gzip-compressed when its first bytes say so, whatever its name; its
/// handle then inflates it while it is read. Its text, inflated or not, is turned
/// into UTF-8 as it is read when it is in another encoding (`TextTranscoder`).
public enum InputBytes: @unchecked Sendable {
    case file(String)
    /// Standard input: it can be read once, in order, and never cut into ranges.
    case standardInput
    /// Bytes the caller keeps alive for as long as ingest reads them.
    case memory(UnsafeRawBufferPointer)

    /// How a run names standard input: in its reports, its rejected rows and its history.
    public static let standardInputName = "stdin"
    /// What stands for standard input among the inputs of a command line.
    public static let standardInputArgument = "-"

    /// The name a run gives an input it was told: `stdin` for `-`, else the path.
    public static func displayName(_ argument: String) -> String {
        argument == standardInputArgument ? standardInputName : argument
    }

    /// A handle positioned at the start, inflating the input if it is gzip, and
    /// reading its text as `encoding`, or as the encoding its first bytes show when nil.
    func open(name: String, encoding: TextEncoding? = nil) throws -> InputHandle {
        let handle: InputHandle
        switch self {
        case .file(let path):
            do {
                handle = InputHandle(descriptor: try SystemFile.open(path, O_RDONLY | O_CLOEXEC), owned: true)
            } catch {
                throw IngestError.cannotOpen(file: name, reason: error.reason)
            }
        case .standardInput:
            handle = InputHandle(descriptor: STDIN_FILENO, owned: false)
        case .memory(let bytes):
            handle = InputHandle(memory: bytes)
        }
        try handle.inflateIfGzip(name: name, seekable: !isStandardInput)
        if encoding != .utf8 { handle.transcoder = TextTranscoder(encoding: encoding) }
        return handle
    }

    /// Whether the input is gzip, from its first two bytes, as a handle opened on it
    /// decides. Standard input is not looked at here (looking would consume it); a
    /// file that cannot be read is not.
    public func isGzip() -> Bool {
        if isStandardInput { return false }
        return (try? open(name: ""))?.isGzip ?? false
    }

    private var isStandardInput: Bool {
        if case .standardInput = self { return true }
        return false
    }

    /// Whether the input can be cut into ranges read on several cores (its text must
    /// also be in a splittable encoding: `TextEncoding.isSplittable`).
    var isSeekable: Bool { !isStandardInput && !isGzip() }
}

/// A read position in an input: a descriptor, or a cursor over bytes in memory; for
/// a gzip input, the inflated bytes of either; for text in another encoding than
/// UTF-8, the UTF-8 of its text.
public final class InputHandle {
    private let descriptor: Int32
    private let owned: Bool
    private let memory: UnsafeRawBufferPointer?
    private var offset = 0
    /// Set when the input is gzip: `read` then hands on inflated bytes.
    private var inflater: GzipInflater?
    /// Set unless the input is known to be UTF-8: `read` then hands on UTF-8.
    fileprivate var transcoder: TextTranscoder?
    /// The first bytes of a stream, read to see whether it is gzip, and not yet handed on.
    private var peeked: [UInt8] = []
    /// Bytes of the input as stored still to read, for a range of a file; nil to read to the end.
    private var rawRemaining: Int?
    /// Told every byte of the input as it is stored (compressed, for a gzip input) as
    /// it is consumed: what ingest hashes and counts for progress.
    public var onRawRead: ((UnsafeRawBufferPointer) -> Void)?

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

    /// Whether the input is being inflated.
    public var isGzip: Bool { inflater != nil }

    /// The encoding of the input's text: known once the first bytes have been read.
    public var encoding: TextEncoding? { transcoder == nil ? .utf8 : transcoder?.encoding }

    /// Reads no more than `count` bytes of the input as stored from the read position on.
    func limit(to count: Int) {
        rawRemaining = count
    }

    /// Why the input could not be read, when the bytes themselves are damaged (a
    /// truncated or corrupt gzip stream) rather than the device failing.
    public var damage: String? { inflater?.failure }

    /// Looks at the first bytes and, when they are gzip's, inflates from then on. A
    /// file or bytes in memory are looked at where they stand; a stream's first bytes
    /// are read, and handed on before the rest.
    fileprivate func inflateIfGzip(name: String, seekable: Bool) throws {
        if seekable {
            var head: (UInt8, UInt8) = (0, 0)
            let got = withUnsafeMutableBytes(of: &head) { read(at: 0, into: $0.baseAddress!, count: 2) }
            let isGzip = withUnsafeBytes(of: head) {
                GzipInflater.isGzip(UnsafeRawBufferPointer(rebasing: $0[..<max(got, 0)]))
            }
            if isGzip { inflater = try GzipInflater(file: name) }
            return
        }
        var head = [UInt8](repeating: 0, count: 2)
        var got = 0
        while got < 2 {
            let count = head.withUnsafeMutableBytes { rawRead(into: $0.baseAddress! + got, count: 2 - got) }
            if count <= 0 { break }
            got += count
        }
        peeked = Array(head[0..<got])
        if peeked.withUnsafeBytes(GzipInflater.isGzip) { inflater = try GzipInflater(file: name) }
    }

    /// Moves the read position; false when the descriptor cannot seek.
    func seek(to position: Int) -> Bool {
        peeked = []
        guard memory == nil else {
            offset = position
            return true
        }
        return lseek(descriptor, off_t(position), SEEK_SET) >= 0
    }

    /// Reads up to `count` bytes at the read position, as `read(2)` does: the count
    /// read, 0 at the end, -1 with `errno` (or `damage`) on failure. A gzip input
    /// gives its inflated bytes, and text in another encoding its UTF-8.
    func read(into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        guard let transcoder else { return inflatedRead(into: buffer, count: count) }
        return transcoder.read(into: buffer, count: count) { inflatedRead(into: $0, count: $1) }
    }

    /// The input's bytes, inflated when it is gzip.
    private func inflatedRead(into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        guard let inflater else { return consume(into: buffer, count: count) }
        return inflater.read(into: buffer, count: count) { consume(into: $0, count: $1) }
    }

    /// The next stored bytes: those peeked first, then the input's; told to `onRawRead`.
    private func consume(into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        var got = 0
        if !peeked.isEmpty {
            got = min(count, peeked.count)
            peeked.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: got) }
            peeked.removeFirst(got)
        }
        if got < count {
            let more = rawRead(into: buffer + got, count: count - got)
            if more < 0 && got == 0 { return more }
            got += max(more, 0)
        }
        if got > 0, let onRawRead { onRawRead(UnsafeRawBufferPointer(start: buffer, count: got)) }
        return got
    }

    private func rawRead(into buffer: UnsafeMutableRawPointer, count wanted: Int) -> Int {
        let count = min(wanted, rawRemaining ?? Int.max)
        guard count > 0 else { return 0 }
        let got = unlimitedRead(into: buffer, count: count)
        if got > 0, let left = rawRemaining { rawRemaining = left - got }
        return got
    }

    private func unlimitedRead(into buffer: UnsafeMutableRawPointer, count: Int) -> Int {
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
