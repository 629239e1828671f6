#if canImport(Glibc)
    import Glibc
#endif

/// Keeps the process's resident size close to what it really uses.
///
/// glibc keeps freed blocks in its heap for reuse, and raises its threshold for
/// mapping large blocks each time one is freed. A run that moves hundreds of
/// thousands of claim lines from chunks into one array would then hold them twice.
/// So a run pins the threshold, which keeps every large block (a chunk of lines, a
/// file buffer) in its own mapping that `free` returns at once, and trims the heap
/// between stages. Both functions are glibc's, looked up at run time (Swift's Glibc
/// module does not export `malloc.h`); elsewhere this does nothing.
enum MemoryRelease {
    private typealias Trim = @convention(c) (Int) -> Int32
    private typealias Option = @convention(c) (Int32, Int32) -> Int32
    /// glibc's `M_MMAP_THRESHOLD`.
    private static let mmapThresholdOption: Int32 = -3

    /// Call once, before any large allocation.
    static func configure() {
        #if canImport(Glibc)
            guard let symbol = dlsym(nil, "mallopt") else { return }
            _ = unsafeBitCast(symbol, to: Option.self)(mmapThresholdOption, 256 * 1024)
        #endif
    }

    static func afterStage() {
        #if canImport(Glibc)
            guard let symbol = dlsym(nil, "malloc_trim") else { return }
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }
}
