#if canImport(Glibc)
    import Glibc
#endif

/// Hands memory freed by a finished stage back to the operating system.
///
/// glibc keeps freed blocks in its heap for reuse, so a stage that builds and
/// drops large buffers (ingest's chunks of claim lines, the rules' working arrays)
/// would leave the process's resident size at that stage's peak for the rest of
/// the run. Between stages the run trims the heap, so the next stage starts from
/// what is really in use. `malloc_trim` is glibc's; it is looked up at run time
/// (Swift's Glibc module does not export `malloc.h`), and elsewhere this does nothing.
enum MemoryRelease {
    private typealias Trim = @convention(c) (Int) -> Int32

    static func afterStage() {
        #if canImport(Glibc)
            guard let symbol = dlsym(nil, "malloc_trim") else { return }
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }
}
