#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Splits a physical line that holds no quote character at the delimiter, without
/// libcsv: what a reader's `screen` sees, so that rows no one reads are set aside
/// before they are parsed.
///
/// This runs for every plain line of a dump: one pass over the bytes, eight at a time,
/// into a buffer of field starts that the splitter owns and reuses from line to line.
struct PlainLineSplitter {
    /// A line with more fields goes to libcsv instead.
    static let maximumFields = 4096
    private let starts = UnsafeMutablePointer<Int>.allocate(capacity: maximumFields + 1)

    /// The line split at `delimiter`, valid until the next call; nil when it holds a
    /// quote or more than `maximumFields` fields.
    @inline(__always)
    func split(_ line: UnsafePointer<UInt8>, length: Int, delimiter: UInt8, number: Int) -> PlainLine? {
        if memchr(line, 0x22, length) != nil { return nil }
        var count = 1
        starts[0] = 0
        let spread = UInt64(delimiter) &* 0x0101_0101_0101_0101
        var index = 0
        while index + 8 <= length {
            // A byte of `matches` has its high bit set exactly where the word holds
            // the delimiter (no borrow crosses bytes: each byte's low 7 bits are added apart).
            let word = UInt64(littleEndian: UnsafeRawPointer(line + index).loadUnaligned(as: UInt64.self)) ^ spread
            var matches = ~(((word & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | word) & 0x8080_8080_8080_8080
            while matches != 0 {
                guard count < Self.maximumFields else { return nil }
                starts[count] = index + matches.trailingZeroBitCount / 8 + 1
                count += 1
                matches &= matches &- 1
            }
            index += 8
        }
        while index < length {
            if line[index] == delimiter {
                guard count < Self.maximumFields else { return nil }
                starts[count] = index + 1
                count += 1
            }
            index += 1
        }
        starts[count] = length + 1
        return PlainLine(base: line, starts: UnsafeBufferPointer(start: starts, count: count + 1), line: number)
    }

    /// Gives the buffer back; called once, by the reader that owns the splitter.
    func release() {
        starts.deallocate()
    }
}
