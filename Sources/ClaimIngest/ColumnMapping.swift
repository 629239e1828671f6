import ClaimModel
import Yams

/// A user's own header names for an export pumpaudit does not know, read from the
/// YAML file given to `--columns`:
///
/// ```yaml
/// claim_id: Encounter Number
/// person_id: [Pt Acct, Patient Account]
/// claim_line_start_date: Svc Dt
/// ```
///
/// Keys are canonical field names; values are one header or a list of headers. A header
/// with `{n}` is a numbered pattern (`hcpcs_code: "HCPCS_CD_{n}"`): a row with such
/// columns carries one service line per number, and `{n}` is the line number.
public struct ColumnMapping: Sendable, Equatable {
    /// Normalized header -> field.
    private var fields: [String: ClaimField]
    /// Numbered patterns, in the order given, tried before the built-in ones.
    private(set) var patterns: [(pattern: NumberedPattern, field: ClaimField)] = []
    /// The file the mapping was read from, for messages; nil for none or one built in code.
    public private(set) var source: String?

    public static let none = ColumnMapping(fields: [:])

    init(fields: [String: ClaimField]) {
        self.fields = fields
    }

    public static func == (lhs: ColumnMapping, rhs: ColumnMapping) -> Bool {
        lhs.fields == rhs.fields && lhs.source == rhs.source && lhs.patterns.elementsEqual(rhs.patterns) { $0 == $1 }
    }

    /// Builds a mapping from canonical name -> headers.
    public init(_ headersByCanonicalName: [String: [String]], file: String) throws {
        var mapping = ColumnMapping.none
        for (name, headers) in headersByCanonicalName.sorted(by: { $0.key < $1.key }) {
            do {
                try mapping.map(headers, to: name)
            } catch {
                throw IngestError.badColumnMapping(file: file, problem: error.message)
            }
        }
        mapping.source = file
        self = mapping
    }

    /// Reads a `--columns` YAML file strictly (`YAMLReader`): a problem names the
    /// file, the line and the field.
    public init(contentsOf path: String) throws {
        let yaml = YAMLReader(file: path)
        guard let root = try yaml.root() else {
            throw yaml.fail(nil, "(file)", "expected a mapping of field names to headers")
        }
        var mapping = ColumnMapping.none
        for (name, value) in try yaml.mapping(root, "(top level)") {
            let headers = value.sequence == nil ? [try yaml.string(value, name)] : try yaml.strings(value, name)
            do {
                try mapping.map(headers, to: name)
            } catch {
                throw yaml.fail(value, name, error.message)
            }
        }
        mapping.source = path
        self = mapping
    }

    /// Why an entry of a mapping cannot be taken.
    struct Problem: Error {
        let message: String
    }

    /// Maps each header to the field of canonical name `name`.
    private mutating func map(_ headers: [String], to name: String) throws(Problem) {
        guard let field = ClaimField(canonicalName: name) else {
            throw Problem(
                message: "unknown field '\(name)'; fields are: "
                    + ClaimField.all.map(\.canonicalName).joined(separator: ", "))
        }
        for header in headers {
            if header.contains("{n}") {
                guard let pattern = NumberedPattern(header) else {
                    throw Problem(message: "field '\(name)': '\(header)' must hold {n} once, with a name around it")
                }
                patterns.append((pattern, field))
                continue
            }
            let key = ClaimField.normalize(header)
            guard !key.isEmpty else { throw Problem(message: "field '\(name)' maps to an empty header") }
            if let other = fields[key], other != field {
                throw Problem(message: "header '\(header)' is mapped to both \(other) and \(field)")
            }
            fields[key] = field
        }
    }

    func field(forNormalizedHeader key: String) -> ClaimField? {
        fields[key]
    }

    /// Whether one of the mapping's numbered patterns matches this normalized header.
    func hasPattern(matching key: String) -> Bool {
        patterns.contains { $0.pattern.number(inNormalized: key) != nil }
    }
}
