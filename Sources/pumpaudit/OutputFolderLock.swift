import ClaimModel
import Foundation

/// An exclusive lock on an output folder for the length of a run, so that two runs
/// writing into one folder (with or without a history store) never mix their
/// reports: the second waits for the first, then fails with a clear message.
///
/// The lock is a `FileLock` on `.pumpaudit.lock` in the folder.
final class OutputFolderLock {
    static let fileName = ".pumpaudit.lock"
    private let lock: FileLock

    init(folder: String, timeout: TimeInterval = 120) throws {
        let path = (folder as NSString).appendingPathComponent(Self.fileName)
        do {
            lock = try FileLock(path: path, timeout: timeout)
        } catch {
            switch error {
            case .cannotOpen(let reason): throw OutputFolderError.cannotLock(path: path, reason: reason)
            case .held: throw OutputFolderError.inUse(folder: folder, waitedSeconds: Int(timeout.rounded()))
            }
        }
    }
}

/// Why an output folder cannot be used.
enum OutputFolderError: Error, CustomStringConvertible {
    case cannotLock(path: String, reason: String)
    case inUse(folder: String, waitedSeconds: Int)

    var description: String {
        switch self {
        case .cannotLock(let path, let reason): return "\(path): cannot lock the output folder: \(reason)"
        case .inUse(let folder, let seconds):
            return "\(folder): another pumpaudit run is writing reports into this folder (waited \(seconds) s)"
        }
    }
}
