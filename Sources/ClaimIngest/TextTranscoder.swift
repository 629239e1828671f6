/// Turns an input's text into UTF-8 as it is read, so that the CSV reader and
/// everything after it see one encoding: the stage after the gzip inflater.
///
/// Told no encoding, it reads the input's first `TextEncoding.sniffedBytes` and
/// chooses (`TextEncoding.sniff`). UTF-8 then passes through untouched, with no copy
/// after those first bytes; UTF-16 (either byte order, its byte order mark dropped) and
/// Windows-1252 are converted a chunk at a time. A lone surrogate or an odd last
/// byte of UTF-16 becomes U+FFFD, as `String(decoding:as:)` does with bad UTF-8.
/// Memory is one chunk of each side, whatever the size of the input.
final class TextTranscoder {
    static let chunkSize = 64 << 10

    /// The input's encoding: the one given, else the one sniffed at the first read.
    private(set) var encoding: TextEncoding?
    /// Bytes of the input read but not yet converted (or, for UTF-8, not yet handed on).
    private var pending: [UInt8] = []
    private var pendingStart = 0
    /// Converted bytes not yet handed on.
    private var output: [UInt8] = []
    private var outputStart = 0
    private var sourceEnded = false
    private var started = false

    init(encoding: TextEncoding?) {
        self.encoding = encoding
    }

    /// Reads up to `count` UTF-8 bytes into `buffer`, taking the input's bytes from
    /// `source` (which returns as `read(2)` does). Returns as `read(2)` does.
    func read(
        into buffer: UnsafeMutableRawPointer, count: Int, source: (UnsafeMutableRawPointer, Int) -> Int
    ) -> Int {
        guard count > 0 else { return 0 }
        if !started {
            started = true
            if fillPending(to: encoding == nil ? TextEncoding.sniffedBytes : 4, source) < 0 { return -1 }
            if encoding == nil {
                encoding = pending.withUnsafeBytes { TextEncoding.sniff($0, isWhole: sourceEnded) }
            }
            dropByteOrderMark()
        }
        if encoding == .utf8 {
            if pendingStart < pending.count { return take(from: &pending, at: &pendingStart, into: buffer, count) }
            return source(buffer, count)
        }
        while outputStart == output.count {
            if pendingStart == pending.count && sourceEnded { return 0 }
            if !sourceEnded && pending.count - pendingStart < Self.chunkSize {
                if fillPending(to: pending.count - pendingStart + Self.chunkSize, source) < 0 { return -1 }
            }
            convert()
        }
        return take(from: &output, at: &outputStart, into: buffer, count)
    }

    /// Reads from `source` until `pending` holds `wanted` unread bytes or the source ends.
    private func fillPending(to wanted: Int, _ source: (UnsafeMutableRawPointer, Int) -> Int) -> Int {
        if pendingStart > 0 {
            pending.removeFirst(pendingStart)
            pendingStart = 0
        }
        while pending.count < wanted && !sourceEnded {
            let before = pending.count
            pending.append(contentsOf: repeatElement(0, count: wanted - before))
            let got = pending.withUnsafeMutableBytes { source($0.baseAddress! + before, wanted - before) }
            pending.removeLast(wanted - before - max(got, 0))
            if got < 0 { return -1 }
            if got == 0 { sourceEnded = true }
        }
        return pending.count
    }

    /// The UTF-16 byte order mark, where the encoding is UTF-16; UTF-8's is the reader's to skip.
    private func dropByteOrderMark() {
        guard pending.count - pendingStart >= 2 else { return }
        let first = pending[pendingStart]
        let second = pending[pendingStart + 1]
        if (encoding == .utf16LE && first == 0xFF && second == 0xFE)
            || (encoding == .utf16BE && first == 0xFE && second == 0xFF)
        {
            pendingStart += 2
        }
    }

    private func take(
        from bytes: inout [UInt8], at start: inout Int, into buffer: UnsafeMutableRawPointer, _ count: Int
    )
        -> Int
    {
        let taken = min(count, bytes.count - start)
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress! + start, byteCount: taken) }
        start += taken
        return taken
    }

    /// Converts what `pending` holds into `output`; an incomplete unit at its end waits
    /// for more input, unless the input has ended.
    private func convert() {
        output.removeAll(keepingCapacity: true)
        outputStart = 0
        switch encoding {
        case .windows1252:
            for byte in pending[pendingStart...] {
                if byte < 0x80 {
                    output.append(byte)
                } else {
                    append(Self.windows1252Scalar(byte))
                }
            }
            pendingStart = pending.count
        case .utf16LE, .utf16BE:
            convertUTF16(bigEndian: encoding == .utf16BE)
        case .utf8, nil:
            preconditionFailure("UTF-8 is handed on unconverted")
        }
    }

    private func convertUTF16(bigEndian: Bool) {
        var index = pendingStart
        let end = pending.count
        func unit(at offset: Int) -> UInt32 {
            bigEndian
                ? UInt32(pending[offset]) << 8 | UInt32(pending[offset + 1])
                : UInt32(pending[offset + 1]) << 8 | UInt32(pending[offset])
        }
        while index + 1 < end {
            let first = unit(at: index)
            switch first {
            case 0xD800...0xDBFF:
                guard index + 3 < end else {
                    if sourceEnded {
                        append(0xFFFD)
                        index += 2
                        continue
                    }
                    // The low surrogate is in the next chunk.
                    pendingStart = index
                    return
                }
                let second = unit(at: index + 2)
                if (0xDC00...0xDFFF).contains(second) {
                    append(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
                    index += 4
                } else {
                    append(0xFFFD)
                    index += 2
                }
            case 0xDC00...0xDFFF:
                append(0xFFFD)
                index += 2
            default:
                append(first)
                index += 2
            }
        }
        if index < end && sourceEnded {
            // An odd byte at the very end.
            append(0xFFFD)
            index = end
        }
        pendingStart = index
    }

    /// Appends a scalar as UTF-8.
    private func append(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | (scalar >> 12) & 0x3F))
            output.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// The Unicode scalar of a Windows-1252 byte from 0x80 up (the WHATWG Encoding
    /// Standard's table: 0x80-0x9F are typographic characters, the five bytes it
    /// leaves undefined map to the C1 control of the same number, and 0xA0-0xFF are
    /// Latin-1).
    static func windows1252Scalar(_ byte: UInt8) -> UInt32 {
        guard byte >= 0x80 && byte < 0xA0 else { return UInt32(byte) }
        return windows1252High[Int(byte) - 0x80]
    }

    private static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]
}
