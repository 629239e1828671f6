/// Reads what a spill holds front to back through a small window: the bytes a
/// `SpillFile` wrote out, or bytes still in memory. Memory is the window, whatever
/// the spill's size; a record longer than the window is gathered across refills.
public struct SpillReader {
    /// Reads up to a count of bytes at an offset (from the start of what is read) into
    /// a pointer: the bytes read, 0 at the end, or -1 on an error.
    private let input: (Int, UnsafeMutableRawPointer, Int) -> Int
    private let end: Int
    /// What the bytes hold, for the error of a spill cut short.
    private let purpose: String
    private var offset = 0
    private var buffer: [UInt8]
    private var start = 0
    private var filled = 0

    public init(
        end: Int, purpose: String, window: Int = 64 << 10,
        read: @escaping (Int, UnsafeMutableRawPointer, Int) -> Int
    ) {
        self.input = read
        self.end = end
        self.purpose = purpose
        buffer = [UInt8](repeating: 0, count: max(window, 16))
    }

    /// The next `count` bytes.
    public mutating func bytes(_ count: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            if start == filled { try refill() }
            let take = min(count - out.count, filled - start)
            out.append(contentsOf: buffer[start..<(start + take)])
            start += take
        }
        return out
    }

    private mutating func refill() throws {
        let wanted = min(buffer.count, end - offset)
        let count = wanted <= 0 ? 0 : buffer.withUnsafeMutableBytes { input(offset, $0.baseAddress!, wanted) }
        guard count > 0 else { throw SpillError.cannotRead(purpose, reason: "they are cut short") }
        offset += count
        start = 0
        filled = count
    }
}

extension SpillFile {
    /// A reader of the `length` bytes written out at `offset`; flush first.
    public func reader(from offset: Int = 0, length: Int? = nil, purpose: String, window: Int = 64 << 10)
        -> SpillReader
    {
        SpillReader(end: length ?? bytesWritten - offset, purpose: purpose, window: window) {
            self.read(at: offset + $0, into: $1, count: $2)
        }
    }
}
