/// The byte form of what a run spills to temporary files: unsigned integers as LEB128
/// varints, signed ones zigzagged first, text as its UTF-8 length and bytes, an
/// optional value as a presence byte or an offset-by-one length.
///
/// Only this process reads what it wrote, so the form needs no version; the decoder
/// still checks every length against the bytes it has and throws on a short or
/// damaged record instead of trapping.
public enum SpillEncoder {
    @inline(__always)
    public static func put(_ value: UInt64, into out: inout some SpillOutput) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    @inline(__always)
    public static func put(_ value: Int, into out: inout some SpillOutput) {
        let signed = Int64(value)
        put(UInt64(bitPattern: (signed << 1) ^ (signed >> 63)), into: &out)
    }

    @inline(__always)
    public static func put(_ text: String, into out: inout some SpillOutput) {
        var text = text
        text.withUTF8 { bytes in
            put(UInt64(bytes.count), into: &out)
            out.append(contentsOf: bytes)
        }
    }

    /// nil as 0; a text as its length plus one, then its bytes.
    @inline(__always)
    public static func put(_ text: String?, into out: inout some SpillOutput) {
        guard var text else { return out.append(0) }
        text.withUTF8 { bytes in
            put(UInt64(bytes.count + 1), into: &out)
            out.append(contentsOf: bytes)
        }
    }

    /// nil as 0; a number as 1, then its value.
    @inline(__always)
    public static func put(_ value: Int?, into out: inout some SpillOutput) {
        guard let value else { return out.append(0) }
        out.append(1)
        put(value, into: &out)
    }

    public static func put(_ value: Double?, into out: inout some SpillOutput) {
        guard let value else { return out.append(0) }
        out.append(1)
        put(value.bitPattern, into: &out)
    }

    public static func put(_ texts: [String], into out: inout some SpillOutput) {
        put(UInt64(texts.count), into: &out)
        for text in texts { put(text, into: &out) }
    }

    /// As `put(_: String)`: its UTF-8 length, then its bytes.
    @inline(__always)
    public static func put(_ text: SpillText, into out: inout some SpillOutput) {
        putBytes(of: text, lengthOffset: 0, into: &out)
    }

    /// As `put(_: String?)`: nil as 0, a text as its length plus one, then its bytes.
    @inline(__always)
    public static func put(_ text: SpillText?, into out: inout some SpillOutput) {
        guard let text else { return out.append(0) }
        putBytes(of: text, lengthOffset: 1, into: &out)
    }

    /// As `put(_: [String])`.
    public static func put(_ texts: [SpillText], into out: inout some SpillOutput) {
        put(UInt64(texts.count), into: &out)
        for text in texts { put(text, into: &out) }
    }

    @inline(__always)
    private static func putBytes(of text: SpillText, lengthOffset: Int, into out: inout some SpillOutput) {
        switch text {
        case .bytes(let bytes, let upperCased):
            put(UInt64(bytes.count + lengthOffset), into: &out)
            if upperCased {
                for byte in bytes { out.append(SpillText.upper(byte)) }
            } else {
                out.append(contentsOf: bytes)
            }
        case .string(var string):
            string.withUTF8 { bytes in
                put(UInt64(bytes.count + lengthOffset), into: &out)
                out.append(contentsOf: bytes)
            }
        }
    }
}

/// Reads what `SpillEncoder` wrote, front to back.
public struct SpillDecoder {
    private let bytes: [UInt8]
    public private(set) var position: Int
    private let end: Int
    /// What the bytes hold, for the error of a damaged record.
    private let purpose: String

    public init(_ bytes: [UInt8], purpose: String, from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.position = start
        self.end = end ?? bytes.count
        self.purpose = purpose
    }

    public var isAtEnd: Bool { position >= end }

    public mutating func byte() throws -> UInt8 {
        guard position < end else { throw SpillError.damaged(purpose) }
        defer { position += 1 }
        return bytes[position]
    }

    public mutating func skip(_ count: Int) throws {
        guard count >= 0, count <= end - position else { throw SpillError.damaged(purpose) }
        position += count
    }

    public mutating func unsigned() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw SpillError.damaged(purpose) }
            value |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return value }
            shift += 7
        }
    }

    public mutating func int() throws -> Int {
        let raw = try unsigned()
        return Int(Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))))
    }

    public mutating func text() throws -> String {
        try text(length: Int(clamping: try unsigned()))
    }

    public mutating func optionalText() throws -> String? {
        let stored = Int(clamping: try unsigned())
        return stored == 0 ? nil : try text(length: stored - 1)
    }

    public mutating func optionalInt() throws -> Int? {
        try byte() == 0 ? nil : try int()
    }

    public mutating func optionalDouble() throws -> Double? {
        try byte() == 0 ? nil : Double(bitPattern: try unsigned())
    }

    public mutating func texts() throws -> [String] {
        let count = Int(clamping: try unsigned())
        guard count <= end - position else { throw SpillError.damaged(purpose) }
        var out: [String] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try text()) }
        return out
    }

    /// What `put(count + 1)` and the texts wrote; nil for a 0.
    public mutating func optionalTexts() throws -> [String]? {
        let stored = Int(clamping: try unsigned())
        guard stored > 0 else { return nil }
        guard stored - 1 <= end - position else { throw SpillError.damaged(purpose) }
        var out: [String] = []
        out.reserveCapacity(stored - 1)
        for _ in 1..<stored { out.append(try text()) }
        return out
    }

    /// Where the next text's bytes are, moved past without building a string.
    public mutating func textRange() throws -> Range<Int> {
        let length = Int(clamping: try unsigned())
        guard length <= end - position else { throw SpillError.damaged(purpose) }
        defer { position += length }
        return position..<(position + length)
    }

    /// The text at `range` (from `textRange`).
    public func string(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// The bytes at `range` (from `textRange`), for the call.
    public func withBytes<Result>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows
        -> Result
    {
        try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// FNV-1a over the bytes at `range` when they are ASCII (then the hash
    /// `SpillText.fnv1a` gives the string they decode to); nil otherwise.
    public func asciiFNV1a(_ range: Range<Int>) -> UInt64? {
        bytes.withUnsafeBufferPointer { bytes in
            var hash = FNV1a.offsetBasis
            for byte in bytes[range] {
                guard byte < 0x80 else { return nil }
                hash = FNV1a.adding(byte, to: hash)
            }
            return hash
        }
    }

    private mutating func text(length: Int) throws -> String {
        guard length <= end - position else { throw SpillError.damaged(purpose) }
        defer { position += length }
        return bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[position..<(position + length)]), as: UTF8.self)
        }
    }
}
