import ClaimModel
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Expands the paths a user names into the files to read.
///
/// A file is read whatever its extension. A folder contributes every `.csv`, `.tsv`,
/// `.txt` and `.psv` file directly inside it, and each of them gzip-compressed
/// (`.csv.gz`), in name order, so that a rerun reads the same files in the same
/// order. `-` is standard input.
///
/// Only regular files are read. A FIFO, a device or a socket would block the run (and
/// the history store's lock) forever, so each is looked at with `stat`, never opened:
/// named by the user it stops the run; found in a folder it is skipped, and so is a
/// file whose name is not valid UTF-8, since reports could not name it faithfully.
public enum InputDiscovery {
    public static let extensions: Set<String> = ["csv", "tsv", "txt", "psv"]

    /// The files to read, and what was found in folders and left out.
    public struct Inputs: Sendable {
        public var files: [String] = []
        public var skipped: [SkippedInput] = []
    }

    /// A file in an input folder that is not read, and why.
    public struct SkippedInput: Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String

        public var description: String { "\(path): \(reason); skipped" }
    }

    public static func files(in paths: [String]) throws -> [String] {
        try inputs(paths).files
    }

    public static func inputs(_ paths: [String]) throws -> Inputs {
        var inputs = Inputs()
        for path in paths {
            if path == InputBytes.standardInputArgument {
                // Standard input, read as a stream; named once at most.
                guard !inputs.files.contains(path) else { throw IngestError.standardInputTwice }
                inputs.files.append(path)
                continue
            }
            guard let info = try? SystemFile.status(path) else { throw IngestError.noSuchInput(path: path) }
            if isRegular(info) {
                inputs.files.append(path)
                continue
            }
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw IngestError.notARegularFile(path: path, kind: kind(info))
            }
            let before = inputs.files.count
            try list(folder: path, into: &inputs)
            guard inputs.files.count > before else { throw IngestError.noInputFiles(folder: path) }
        }
        return inputs
    }

    /// The folder's files with a known extension, in name order.
    private static func list(folder: String, into inputs: inout Inputs) throws {
        guard let directory = opendir(folder) else {
            throw IngestError.cannotOpen(file: folder, reason: "cannot list the folder")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            guard bytes.first != UInt8(ascii: ".") else { continue }
            let lossy = String(decoding: bytes, as: UTF8.self)
            guard hasKnownExtension(lossy) else { continue }
            guard let name = String(validating: bytes, as: UTF8.self) else {
                let path = (folder as NSString).appendingPathComponent(lossy)
                inputs.skipped.append(
                    SkippedInput(path: path, reason: "the name is not valid UTF-8 (rename it to read it)"))
                continue
            }
            names.append(name)
        }
        for name in names.sorted() {
            let path = (folder as NSString).appendingPathComponent(name)
            let info: stat
            do {
                info = try SystemFile.status(path)
            } catch {
                inputs.skipped.append(SkippedInput(path: path, reason: "cannot read: \(error.reason)"))
                continue
            }
            if isRegular(info) {
                inputs.files.append(path)
            } else if info.st_mode & S_IFMT != S_IFDIR {
                inputs.skipped.append(SkippedInput(path: path, reason: "not a regular file (\(kind(info)))"))
            }
        }
    }

    /// `claims.csv`, `claims.CSV.gz`: a known extension, compressed or not.
    static func hasKnownExtension(_ name: String) -> Bool {
        var name = name as NSString
        if name.pathExtension.lowercased() == "gz" { name = name.deletingPathExtension as NSString }
        return extensions.contains(name.pathExtension.lowercased())
    }

    static func isRegular(_ info: stat) -> Bool {
        info.st_mode & S_IFMT == S_IFREG
    }

    /// What a file that is not a regular file is, in words.
    static func kind(_ info: stat) -> String {
        switch info.st_mode & S_IFMT {
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFDIR: return "a folder"
        default: return "a special file"
        }
    }
}
