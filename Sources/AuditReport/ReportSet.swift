import ClaimModel
import Crypto
import Foundation

/// A run's reports, written as one set.
///
/// Every report is first written into a fresh private staging folder inside the
/// output folder (`.pumpaudit-run.<pid>.XXXXXX`, mode 0700, made by `mkdtemp`, so no
/// other user can plant a file or a link in it). `publish` then removes the previous
/// `manifest.json`, renames each report into the output folder, and writes a new
/// manifest naming the run and the SHA-256 of each file. A reader that finds the
/// manifest and files whose hashes match it has one run's whole set; a set without
/// a manifest, or with a file that does not match, is mixed or incomplete.
/// Dropped without `publish`, the set removes its staging folder.
public final class ReportSet {
    public static let manifestName = "manifest.json"
    static let stagingPrefix = ".pumpaudit-run."

    public let folder: String
    public let stagingFolder: String
    /// Committed files of the set: name and SHA-256.
    private var staged: [(name: String, sha256: String)] = []
    private var published = false

    /// Creates the staging folder in `folder`, which `ReportFileWriter.prepareFolder` has checked.
    public init(folder: String) throws {
        self.folder = folder
        var template = Array(
            (folder as NSString).appendingPathComponent("\(Self.stagingPrefix)\(getpid()).XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else {
            throw ReportError.cannotWrite(path: folder, reason: SystemFile.reason(errno))
        }
        stagingFolder = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    deinit {
        if !published { Self.remove(stagingFolder) }
    }

    /// A new file of the set, to stream into; `add` it once committed.
    public func file(named name: String) throws -> AtomicOutputFile {
        try AtomicOutputFile(path: (stagingFolder as NSString).appendingPathComponent(name))
    }

    /// Takes a committed file of this set into the set.
    public func add(_ output: AtomicOutputFile) {
        staged.append(((output.path as NSString).lastPathComponent, output.sha256))
    }

    /// Writes one report of `summary` into the set.
    public func write(_ format: ReportFormat, of summary: AuditSummary) throws {
        add(try Self.written(format, of: summary, in: stagingFolder))
    }

    /// Writes several reports of `summary` at once, one thread each, and takes them into
    /// the set in the order given. Each machine report walks the findings' merge on its
    /// own, so none waits for another. With `concurrently` false (a run on one core)
    /// they are written one after another. The first error, in the order given, is
    /// thrown once all have ended.
    public func write(_ formats: [ReportFormat], of summary: AuditSummary, concurrently: Bool = true) throws {
        guard concurrently else {
            for format in formats { try write(format, of: summary) }
            return
        }
        let results = WrittenReports(count: formats.count)
        let folder = stagingFolder
        DispatchQueue.concurrentPerform(iterations: formats.count) { index in
            results.set(index, Result { try Self.written(formats[index], of: summary, in: folder) })
        }
        for result in results.all { add(try result.get()) }
    }

    private static func written(_ format: ReportFormat, of summary: AuditSummary, in folder: String) throws
        -> AtomicOutputFile
    {
        var output = try AtomicOutputFile(path: (folder as NSString).appendingPathComponent(format.fileName))
        try format.write(summary, to: &output)
        try output.commit()
        return output
    }

    /// Moves the set into the output folder under a new manifest.
    public func publish(runID: String, generatedAt: String) throws {
        let manifest = (folder as NSString).appendingPathComponent(Self.manifestName)
        // No manifest while files are swapped: a reader then knows the set is not whole.
        if unlink(manifest) != 0 && errno != ENOENT {
            throw ReportError.cannotWrite(path: manifest, reason: SystemFile.reason(errno))
        }
        for (name, _) in staged {
            let target = (folder as NSString).appendingPathComponent(name)
            guard rename((stagingFolder as NSString).appendingPathComponent(name), target) == 0 else {
                throw ReportError.cannotWrite(path: target, reason: SystemFile.reason(errno))
            }
        }
        let text = Self.manifest(runID: runID, generatedAt: generatedAt, files: staged.map { ($0.name, $0.sha256) })
        let output = try AtomicOutputFile(path: (stagingFolder as NSString).appendingPathComponent(Self.manifestName))
        try output.append(text)
        try output.commit()
        guard rename((stagingFolder as NSString).appendingPathComponent(Self.manifestName), manifest) == 0 else {
            throw ReportError.cannotWrite(path: manifest, reason: SystemFile.reason(errno))
        }
        published = true
        rmdir(stagingFolder)
    }

    static func manifest(runID: String, generatedAt: String, files: [(String, String)]) -> String {
        "{\n  \"run_id\": \(JSONText.string(runID)),\n  \"generated_at\": \(JSONText.string(generatedAt)),\n"
            + "  \"files\": {\n"
            + files.map { "    \(JSONText.string($0.0)): {\"sha256\": \(JSONText.string($0.1))}" }
            .joined(separator: ",\n") + "\n  }\n}\n"
    }

    /// Whether the manifest in `folder` names every file with its hash: the set is whole.
    /// Returns the problems found, none for a whole set.
    public static func verify(folder: String) -> [String] {
        let manifest = (folder as NSString).appendingPathComponent(manifestName)
        guard let data = FileManager.default.contents(atPath: manifest),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let files = object["files"] as? [String: [String: String]]
        else {
            return ["\(manifest): missing or unreadable; the reports are not one run's whole set"]
        }
        var problems: [String] = []
        for (name, entry) in files.sorted(by: { $0.key < $1.key }) {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let hash = try? sha256(of: path) else {
                problems.append("\(path): missing")
                continue
            }
            if hash != entry["sha256"] { problems.append("\(path): not the file the manifest names") }
        }
        return problems
    }

    /// Removes what runs that died left in `folder`: staging folders and temporary
    /// files whose process no longer exists. Returns how many it removed.
    @discardableResult
    public static func removeStale(in folder: String) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix(".") {
            guard let pid = ownerPID(name), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            remove((folder as NSString).appendingPathComponent(name))
            removed += 1
        }
        return removed
    }

    /// Removes this process's staging folders in `folder`: what a run interrupted by a
    /// signal must not leave. Each is first renamed, so that a file the run is about
    /// to create in it fails rather than landing in a folder being removed.
    public static func removeOwnStaging(in folder: String) {
        let prefix = "\(stagingPrefix)\(getpid())."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(prefix) {
            let path = (folder as NSString).appendingPathComponent(name)
            let doomed = path + ".removing"
            remove(rename(path, doomed) == 0 ? doomed : path)
        }
    }

    /// The process that made a staging folder `.pumpaudit-run.<pid>.XXXXXX` or a
    /// temporary file `.<name>.<pid>.<random>.tmp`, from its name.
    static func ownerPID(_ name: String) -> pid_t? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        if name.hasPrefix(stagingPrefix), parts.count == 4 { return pid_t(parts[2]) }
        if name.hasSuffix(".tmp"), parts.count >= 4 {
            // Current names carry a random part after the pid; older ones end with the pid.
            return pid_t(parts[parts.count - 3]) ?? pid_t(parts[parts.count - 2])
        }
        return nil
    }

    /// Removes a file, or a folder and the files directly in it, without following links.
    static func remove(_ path: String) {
        if let names = try? FileManager.default.contentsOfDirectory(atPath: path) {
            for name in names { unlink((path as NSString).appendingPathComponent(name)) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// The SHA-256 of a file, read in 1 MiB chunks.
    static func sha256(of path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ReportError.cannotWrite(path: path, reason: "cannot read it back")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hasher.finalize().hexDigits
    }
}

/// The reports written at once, each slot set by one thread and read after all end.
private final class WrittenReports: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<AtomicOutputFile, Error>?]

    init(count: Int) {
        results = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ result: Result<AtomicOutputFile, Error>) {
        lock.withLock { results[index] = result }
    }

    var all: [Result<AtomicOutputFile, Error>] {
        lock.withLock { results.map { $0! } }
    }
}
