import ClaimIngest
import Foundation

/// `--columns`, repeatable: `MAP.yml` for every input, `FILE=MAP.yml` for one input. An
/// input with a mapping of its own is read with it instead of the one for every input.
struct ColumnsOption {
    /// The mapping file for every input, if any.
    var forAll: String?
    /// (input as named, mapping file), in the order given.
    var perFile: [(input: String, mapping: String)] = []

    init() {}

    init(_ values: [String]) throws {
        for value in values {
            // A value that is an existing file is a mapping for every input, even when its
            // name holds `=`; otherwise the last `=` parts the input from its mapping.
            if !FileManager.default.fileExists(atPath: value), let split = value.lastIndex(of: "=") {
                let input = String(value[..<split])
                let mapping = String(value[value.index(after: split)...])
                guard !input.isEmpty, !mapping.isEmpty else {
                    throw ColumnsOptionError("--columns \(value): expected MAP.yml or FILE=MAP.yml")
                }
                perFile.append((input, mapping))
                continue
            }
            if let forAll {
                throw ColumnsOptionError(
                    "--columns \(value): \(forAll) is already the mapping for every input; give one, "
                        + "and FILE=MAP.yml for the inputs that need another")
            }
            forAll = value
        }
    }

    /// Reads the mapping files and pairs each per-file mapping with the input it names,
    /// among the inputs of the run. An input named twice, or a name that is no input,
    /// stops the run: a mapping that silently applies to nothing would audit the wrong
    /// columns.
    func configure(_ ingestor: inout ClaimIngestor, inputs: [String]) throws {
        ingestor.columnMapping = try forAll.map(ColumnMapping.init(contentsOf:)) ?? .none
        for (name, mappingFile) in perFile {
            let matches = inputs.filter { Self.names(name, $0) }
            guard !matches.isEmpty else {
                throw ColumnsOptionError(
                    "--columns \(name)=\(mappingFile): \(name) is not one of the inputs ("
                        + inputs.map(InputBytes.displayName).joined(separator: ", ") + ")")
            }
            let mapping = try ColumnMapping(contentsOf: mappingFile)
            for input in matches {
                guard ingestor.columnMappingsByFile[input] == nil else {
                    throw ColumnsOptionError("--columns: \(input) is given two mappings")
                }
                ingestor.columnMappingsByFile[input] = mapping
            }
        }
    }

    /// Whether `name` (as given to `--columns`) names the input `path`: the same path,
    /// spelled alike once `.` and `..` are resolved, or `-` / `stdin` for standard input.
    static func names(_ name: String, _ path: String) -> Bool {
        if path == InputBytes.standardInputArgument {
            return name == InputBytes.standardInputArgument || name == InputBytes.standardInputName
        }
        if name == path { return true }
        return URL(fileURLWithPath: name).standardizedFileURL.path
            == URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

/// A `--columns` value that cannot be used.
struct ColumnsOptionError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
