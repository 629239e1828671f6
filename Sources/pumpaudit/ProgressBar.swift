import Foundation

/// A one-line progress bar on standard error, drawn only when standard error is a
/// terminal: cron's logs and piped output stay clean.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private var lastDrawn = Date.distantPast
    private var sizes: [String: Int] = [:]
    private var drewAnything = false

    /// A bar when standard error is a terminal, else nil.
    static func forStandardError() -> ProgressBar? {
        isatty(STDERR_FILENO) == 1 ? ProgressBar() : nil
    }

    func update(file: String, bytesRead: Int) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDrawn) >= 0.2 else { return }
        lastDrawn = now
        let size =
            sizes[file]
            ?? {
                let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
                sizes[file] = size
                return size
            }()
        let fraction = size > 0 ? min(1, Double(bytesRead) / Double(size)) : 1
        let width = 30
        let filled = Int(fraction * Double(width))
        let name = (file as NSString).lastPathComponent
        let line =
            "\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] "
            + "\(Int(fraction * 100))% \(name) (\(bytesRead >> 20) of \(size >> 20) MiB)\u{1B}[K"
        StandardError.write(line)
        drewAnything = true
    }

    /// Clears the bar's line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drewAnything { StandardError.write("\r\u{1B}[K") }
    }
}
