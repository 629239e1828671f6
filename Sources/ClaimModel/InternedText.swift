import Foundation

/// A string stored once per process and named by a 4-byte handle.
///
/// Claim lines repeat the same patient ids, NPIs, codes and payers thousands of
/// times; a handle instead of a `String` keeps a line near 100 bytes, which is
/// what lets a run over a 10-million-line dump stay in flat memory. Equal strings
/// always get equal handles, so comparing handles compares text.
public struct InternedText: Hashable, Sendable, CustomStringConvertible {
    /// The handle's number: the order in which the text was first seen.
    public let id: UInt32

    init(id: UInt32) {
        self.id = id
    }

    public init(_ string: String) {
        self = TextPool.shared.intern(string)
    }

    public var string: String { TextPool.shared.string(id) }

    public var description: String { string }
}

/// The process-wide, append-only store behind `InternedText`.
///
/// Interning takes a lock. Reading does not: strings live in fixed chunks that
/// never move once allocated, and a reader only holds a handle that `intern`
/// published after writing its slot, under the lock that orders the two.
final class TextPool: @unchecked Sendable {
    static let shared = TextPool()

    private static let chunkBits = 16
    private static let chunkSize = 1 << chunkBits
    private static let maxChunks = 1 << 15

    private let lock = NSLock()
    private var index: [String: UInt32] = [:]
    private var count = 0
    private let chunks: UnsafeMutablePointer<UnsafeMutablePointer<String>?>

    private init() {
        chunks = .allocate(capacity: Self.maxChunks)
        chunks.initialize(repeating: nil, count: Self.maxChunks)
    }

    func intern(_ string: String) -> InternedText {
        lock.lock()
        defer { lock.unlock() }
        if let id = index[string] { return InternedText(id: id) }
        let chunk = count >> Self.chunkBits
        precondition(chunk < Self.maxChunks, "more than 2^31 distinct strings")
        if chunks[chunk] == nil {
            chunks[chunk] = .allocate(capacity: Self.chunkSize)
        }
        (chunks[chunk].unsafelyUnwrapped + (count & (Self.chunkSize - 1))).initialize(to: string)
        let id = UInt32(count)
        index[string] = id
        count += 1
        return InternedText(id: id)
    }

    func string(_ id: UInt32) -> String {
        let index = Int(id)
        return chunks[index >> Self.chunkBits].unsafelyUnwrapped[index & (Self.chunkSize - 1)]
    }
}
