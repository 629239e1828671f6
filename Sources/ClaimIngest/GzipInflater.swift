import CZlib

/// Inflates a gzip stream as it is read: the compressed bytes come from a source in
/// chunks, the CSV reader asks for inflated bytes as `read(2)` would give them.
///
/// zlib (`inflateInit2` with a gzip header expected) does the work; this type only
/// moves bytes. A file of several gzip members (what `cat a.gz b.gz` or a parallel
/// compressor writes) is read as one stream, as `gzip -d` reads it. Memory is one
/// input chunk and zlib's 32 KiB window, whatever the size of the file.
final class GzipInflater {
    /// The first two bytes of every gzip member (RFC 1952, ID1 and ID2).
    static let magic: (UInt8, UInt8) = (0x1F, 0x8B)
    static let inputChunkSize = 256 << 10

    private var stream = z_stream()
    private let input: UnsafeMutablePointer<UInt8>
    private var sourceEnded = false
    private var memberEnded = false
    /// Why inflating stopped, when the compressed bytes are damaged.
    private(set) var failure: String?

    init(file: String) throws {
        input = .allocate(capacity: Self.inputChunkSize)
        // 16 + 15: a gzip header and trailer around a deflate stream with the largest window.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            input.deallocate()
            throw IngestError.cannotRead(file: file, reason: "zlib could not start to inflate it")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    /// Whether `bytes` start like a gzip stream.
    static func isGzip(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == magic.0 && bytes[1] == magic.1
    }

    /// Inflates up to `count` bytes into `buffer`, reading compressed bytes with
    /// `source` (which returns as `read(2)` does) when zlib needs more. Returns the
    /// count inflated, 0 at the end of the stream, or -1: the source failed (`errno`
    /// is its) or the stream is damaged (`failure` says how).
    func read(
        into buffer: UnsafeMutableRawPointer, count: Int,
        source: (UnsafeMutableRawPointer, Int) -> Int
    ) -> Int {
        guard count > 0, failure == nil else { return failure == nil ? 0 : -1 }
        stream.next_out = buffer.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(min(count, Int(UInt32.max)))
        while stream.avail_out > 0 {
            if stream.avail_in == 0 && !sourceEnded {
                let got = source(input, Self.inputChunkSize)
                if got < 0 { return -1 }
                if got == 0 {
                    sourceEnded = true
                } else {
                    stream.next_in = input
                    stream.avail_in = uInt(got)
                }
            }
            if memberEnded {
                // The end of the stream, or another member after this one.
                guard stream.avail_in > 0 else { break }
                inflateReset(&stream)
                memberEnded = false
            }
            switch inflate(&stream, Z_NO_FLUSH) {
            case Z_OK:
                continue
            case Z_STREAM_END:
                memberEnded = true
            case Z_BUF_ERROR where !(stream.avail_in == 0 && sourceEnded):
                // No progress without more input: the loop reads more.
                continue
            case Z_BUF_ERROR:
                return fail("the gzip stream ends inside a member (a truncated file)", count)
            default:
                return fail(
                    "the gzip data is damaged (zlib: \(stream.msg.map { String(cString: $0) } ?? "error"))", count)
            }
        }
        return produced(count)
    }

    /// Records why inflating stopped; what was inflated before it is still handed on.
    private func fail(_ reason: String, _ count: Int) -> Int {
        failure = reason
        return produced(count) > 0 ? produced(count) : -1
    }

    private func produced(_ count: Int) -> Int {
        min(count, Int(UInt32.max)) - Int(stream.avail_out)
    }
}
