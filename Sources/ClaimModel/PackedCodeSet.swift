/// A set of codes that a row's code bytes are looked up in without building a string or
/// hashing: the five-character ASCII codes packed into integers and sorted, searched by
/// halves (a binary search over a few hundred integers costs less than one `Hasher`
/// round). Ingest asks it of most rows of a dump.
public struct PackedCodeSet: Sendable {
    public let codes: Set<String>
    private let keys: [UInt64]
    /// Whether some code is not five ASCII characters: only then is a code of another
    /// length looked up as text.
    private let hasOtherCodes: Bool

    public init(_ codes: Set<String>) {
        self.codes = codes
        let keys = codes.compactMap { code in
            Array(code.utf8).withUnsafeBufferPointer { Self.key($0, uppercasing: false) }
        }
        self.keys = Set(keys).sorted()
        hasOtherCodes = keys.count < codes.count
    }

    public var isEmpty: Bool { codes.isEmpty }

    /// Whether the code in `bytes`, upper-cased, is in the set.
    @inline(__always)
    public func contains(_ bytes: UnsafeBufferPointer<UInt8>, uppercasing: Bool = true) -> Bool {
        if let key = Self.key(bytes, uppercasing: uppercasing) { return Self.contains(keys, key) }
        guard hasOtherCodes || (bytes.count == 5 && !codes.isEmpty) else { return false }
        // Not five ASCII characters: compared as text, as Unicode upper-cases it.
        let text = String(decoding: bytes, as: UTF8.self)
        return codes.contains(uppercasing ? text.uppercased() : text)
    }

    /// Whether a code as a partition writes it (upper-case already) is in the set.
    public func contains(_ code: SpillText) -> Bool {
        switch code {
        case .bytes(let bytes, let upperCased): return contains(bytes, uppercasing: upperCased)
        case .string(let text): return codes.contains(text)
        }
    }

    private static func contains(_ keys: [UInt64], _ key: UInt64) -> Bool {
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < keys.count && keys[low] == key
    }

    private static func key(_ bytes: UnsafeBufferPointer<UInt8>, uppercasing: Bool) -> UInt64? {
        guard bytes.count == 5 else { return nil }
        var key: UInt64 = 0
        for byte in bytes {
            guard byte < 0x80 else { return nil }
            let upper = uppercasing && byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte
            key = key << 8 | UInt64(upper)
        }
        return key
    }
}
