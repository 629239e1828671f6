import ClaimModel
import Foundation

/// Problems that stop ingest: the run cannot go on without the user's help.
///
/// A bad row is never one of these; it becomes a `Rejection` and the run goes on.
public enum IngestError: Error, Equatable, CustomStringConvertible {
    case noSuchInput(path: String)
    /// A FIFO, a device or a socket named as an input: reading it could block forever.
    case notARegularFile(path: String, kind: String)
    case noInputFiles(folder: String)
    case standardInputTwice
    case cannotOpen(file: String, reason: String)
    case cannotRead(file: String, reason: String)
    case missingRequiredColumns(file: String, missing: [String], found: [String], suggestions: [String: [String]])
    /// `mapping`: the `--columns` file in force, if any, so that the message points into
    /// it rather than suggest the option the user already gave; `byMapping`: whether that
    /// file names both headers.
    case ambiguousColumns(
        file: String, field: String, headers: [String], mapping: String? = nil, byMapping: Bool = false)
    case noHeaderRow(file: String, cells: Int)
    case badColumnMapping(file: String, problem: String)
    case badHeader(file: String, line: Int, problem: String)
    case badReferenceFile(file: String, line: Int?, problem: String)

    public var description: String {
        switch self {
        case .noSuchInput(let path):
            return "\(path): no such file or folder"
        case .notARegularFile(let path, let kind):
            return "\(path): not a regular file (\(kind)); name claim export files or folders of them"
        case .standardInputTwice:
            return "-: standard input can be read once; name it once"
        case .noInputFiles(let folder):
            return "\(folder): the folder holds no .csv, .tsv, .txt or .psv file"
        case .cannotOpen(let file, let reason):
            return "\(file): cannot open: \(reason)"
        case .cannotRead(let file, let reason):
            return "\(file): cannot read: \(reason)"
        case .missingRequiredColumns(let file, let missing, let found, let suggestions):
            var lines = [
                "\(file):1: missing required column\(missing.count == 1 ? "" : "s"): \(missing.joined(separator: ", "))"
            ]
            for name in missing {
                if let near = suggestions[name] {
                    lines.append("  nearest headers for \(name): \(near.map { "'\($0)'" }.joined(separator: ", "))")
                    // A numbered header is one of several lines: say how a mapping reads them all.
                    if ClaimField(canonicalName: name)?.isPerLine == true,
                        let numbered = near.lazy.compactMap(Self.numberedPattern).first
                    {
                        lines.append("  for one service line per number, map \(name): \"\(numbered)\" in --columns")
                    }
                }
            }
            lines.append("  headers found: \(found.map { "'\($0)'" }.joined(separator: ", "))")
            lines.append("  map other header names with --columns FILE (see README, \"Input columns\")")
            return lines.joined(separator: "\n")
        case .noHeaderRow(let file, let cells):
            return "\(file):1: missing required columns: none of the first row's \(cells) cells names a column "
                + "pumpaudit knows, so the export seems to have no header row (the cells are not shown: they would be "
                + "a claim's patient data). Export it with its header row, or name the columns with --columns FILE "
                + "(see README, \"Input columns\")"
        case .ambiguousColumns(let file, let field, let headers, let mapping, let byMapping):
            let both =
                "\(file):1: columns \(headers.map { "'\($0)'" }.joined(separator: " and ")) both match \(field); "
            if Set(headers.map(ClaimField.normalize)).count == 1 {
                return both + "their names differ only in case, spaces or punctuation, which no mapping can tell "
                    + "apart: rename or remove one of them in the export"
            }
            switch (mapping, byMapping) {
            case (let mapping?, true):
                return both + "\(mapping) maps both to \(field): keep only the right one there"
            case (let mapping?, false):
                return both + "name the right one for \(field) in \(mapping)"
            case (nil, _):
                return both + "name the right one with --columns FILE"
            }
        case .badColumnMapping(let file, let problem):
            return "\(file): column mapping: \(problem)"
        case .badReferenceFile(let file, let line, let problem):
            return "\(file)\(line.map { ":\($0)" } ?? ""): \(problem)"
        case .badHeader(let file, let line, let problem):
            return "\(file):\(line): the header row cannot be read: \(problem)"
        }
    }
}

extension IngestError {
    /// `Line 1 CPT` -> `Line {n} CPT`: a header's last run of digits as the line number;
    /// nil for a header without digits.
    static func numberedPattern(_ header: String) -> String? {
        let characters = Array(header)
        guard let last = characters.lastIndex(where: \.isASCIIDigitCharacter) else { return nil }
        var first = last
        while first > 0, characters[first - 1].isASCIIDigitCharacter { first -= 1 }
        return String(characters[..<first]) + "{n}" + String(characters[(last + 1)...])
    }

    /// The reader's failure, said of the file it was reading.
    init(_ error: CSVReaderError, file: String) {
        switch error {
        case .readFailed(let code):
            self = .cannotRead(file: file, reason: SystemFile.reason(code))
        case .parserInitFailed:
            self = .cannotRead(file: file, reason: "libcsv could not start a parser")
        case .rangeEndsInsideRecord:
            self = .cannotRead(file: file, reason: "a range of the file ended inside a record")
        }
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
