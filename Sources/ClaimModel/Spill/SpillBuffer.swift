#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where `SpillEncoder` writes: a byte array, or a `SpillBuffer`.
public protocol SpillOutput {
    var count: Int { get }
    mutating func append(_ byte: UInt8)
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>)
    /// Overwrites a byte already written (a length patched in after what it measures).
    mutating func set(_ byte: UInt8, at position: Int)
}

extension Array: SpillOutput where Element == UInt8 {
    @inline(__always) public mutating func set(_ byte: UInt8, at position: Int) {
        self[position] = byte
    }
}

/// Bytes being encoded, in memory the buffer owns: an append is a store and a
/// capacity check, where an array's also checks that its storage is not shared.
///
/// Ingest encodes every kept line of a dump byte by byte, and with a byte array those
/// checks cost more than the encoding. A buffer is a plain value over its memory: its
/// owner keeps one copy of it and calls `release` once, when it is done with it.
public struct SpillBuffer: SpillOutput {
    private var base: UnsafeMutablePointer<UInt8>?
    public private(set) var count = 0
    public private(set) var capacity = 0

    public init(capacity: Int = 0) {
        if capacity > 0 { grow(to: capacity) }
    }

    @inline(__always) public mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base.unsafelyUnwrapped[count] = byte
        count += 1
    }

    @inline(__always) public mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (base.unsafelyUnwrapped + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    @inline(__always) public mutating func set(_ byte: UInt8, at position: Int) {
        precondition(position >= 0 && position < count)
        base.unsafelyUnwrapped[position] = byte
    }

    public var isEmpty: Bool { count == 0 }

    /// Makes room for `capacity` bytes in all.
    public mutating func reserveCapacity(_ capacity: Int) {
        if capacity > self.capacity { grow(to: capacity) }
    }

    /// The bytes written, valid until the next append or `release`.
    public var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Forgets the bytes and keeps the memory.
    public mutating func removeAll() { count = 0 }

    /// Gives the memory back; the buffer is then empty, and may be used again.
    public mutating func release() {
        free(base)
        base = nil
        count = 0
        capacity = 0
    }

    private mutating func grow(to needed: Int) {
        let newCapacity = max(needed, min(capacity * 2, needed + (1 << 20)), 64)
        guard let grown = realloc(base, newCapacity) else { fatalError("out of memory for \(newCapacity) bytes") }
        base = grown.assumingMemoryBound(to: UInt8.self)
        capacity = newCapacity
    }
}
