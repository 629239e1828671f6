/// Collects values in fixed-size chunks, then hands them over as one array of
/// exactly their count.
///
/// An `Array` that grows by appending doubles its capacity and copies: at the
/// moment it grows it holds up to three times what it needs. Ingest of a large dump
/// appends hundreds of thousands of lines, so it collects them here instead, and
/// the single array is built once, freeing each chunk as soon as it is copied.
struct ChunkedCollector<Element> {
    static var chunkSize: Int { 8192 }

    private var chunks: [[Element]] = []
    private(set) var count = 0

    init() {}

    mutating func append(_ element: Element) {
        if chunks.isEmpty || chunks[chunks.count - 1].count == Self.chunkSize {
            chunks.append([])
            chunks[chunks.count - 1].reserveCapacity(Self.chunkSize)
        }
        chunks[chunks.count - 1].append(element)
        count += 1
    }

    /// Hands every value to `body` in the order appended, freeing each chunk once it is
    /// done: the values move on without ever being held twice. The collector is left empty.
    mutating func drain(_ body: (Element) throws -> Void) rethrows {
        for index in chunks.indices {
            for element in chunks[index] { try body(element) }
            chunks[index] = []
        }
        chunks = []
        count = 0
    }

    /// All values in the order appended; the collector is left empty.
    mutating func takeAll() -> [Element] {
        var result: [Element] = []
        result.reserveCapacity(count)
        for index in chunks.indices {
            result.append(contentsOf: chunks[index])
            chunks[index] = []
        }
        chunks = []
        count = 0
        return result
    }
}
