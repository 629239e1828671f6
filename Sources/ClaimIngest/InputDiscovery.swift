import Foundation

/// Expands the paths a user names into the files to read.
///
/// A file is read whatever its extension. A folder contributes every `.csv`, `.tsv`,
/// `.txt` and `.psv` file directly inside it, in name order, so that a rerun reads
/// the same files in the same order.
public enum InputDiscovery {
    public static let extensions: Set<String> = ["csv", "tsv", "txt", "psv"]

    public static func files(in paths: [String]) throws -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw IngestError.noSuchInput(path: path)
            }
            guard isFolder.boolValue else {
                files.append(path)
                continue
            }
            let names: [String]
            do {
                names = try manager.contentsOfDirectory(atPath: path)
            } catch {
                throw IngestError.cannotOpen(file: path, reason: "cannot list the folder")
            }
            let found =
                names
                .filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) && !$0.hasPrefix(".") }
                .sorted()
                .map { (path as NSString).appendingPathComponent($0) }
                .filter { candidate in
                    var isSubfolder: ObjCBool = false
                    return manager.fileExists(atPath: candidate, isDirectory: &isSubfolder) && !isSubfolder.boolValue
                }
            guard !found.isEmpty else { throw IngestError.noInputFiles(folder: path) }
            files += found
        }
        return files
    }
}
