/// The fields of the record being parsed, packed into one growing byte buffer.
///
/// A plain struct reached through a pointer: libcsv calls back once per field, and
/// a class here would pay for runtime exclusivity checks on every call.
struct FieldAccumulator {
    private var bytes: UnsafeMutablePointer<UInt8>
    private var byteCapacity = 4096
    private var byteCount = 0
    private var ends: UnsafeMutablePointer<Int>
    private var endCapacity = 64
    private(set) var fieldCount = 0
    var rowEnded = false

    init() {
        bytes = .allocate(capacity: byteCapacity)
        ends = .allocate(capacity: endCapacity)
    }

    mutating func append(_ source: UnsafeMutableRawPointer?, _ length: Int) {
        if byteCount + length > byteCapacity {
            var newCapacity = byteCapacity * 2
            while newCapacity < byteCount + length { newCapacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: bytes, count: byteCount)
            bytes.deallocate()
            bytes = grown
            byteCapacity = newCapacity
        }
        if fieldCount == endCapacity {
            let grown = UnsafeMutablePointer<Int>.allocate(capacity: endCapacity * 2)
            grown.update(from: ends, count: fieldCount)
            ends.deallocate()
            ends = grown
            endCapacity *= 2
        }
        if length > 0, let source {
            (bytes + byteCount).update(from: source.assumingMemoryBound(to: UInt8.self), count: length)
        }
        byteCount += length
        ends[fieldCount] = byteCount
        fieldCount += 1
    }

    func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? 0 : ends[index - 1]
        return UnsafeBufferPointer(start: bytes + start, count: ends[index] - start)
    }

    mutating func reset() {
        byteCount = 0
        fieldCount = 0
        rowEnded = false
    }

    func release() {
        bytes.deallocate()
        ends.deallocate()
    }
}

/// libcsv's field callback: append the field's bytes to the accumulator.
let onField: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = {
    bytes, length, context in
    context.unsafelyUnwrapped.assumingMemoryBound(to: FieldAccumulator.self).pointee.append(bytes, length)
}

/// libcsv's end-of-row callback.
let onRowEnd: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, context in
    context.unsafelyUnwrapped.assumingMemoryBound(to: FieldAccumulator.self).pointee.rowEnded = true
}
