import ClaimModel
import Foundation
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
/// Keys are canonical field names; values are one header or a list of headers.
public struct ColumnMapping: Sendable, Equatable {
    /// Normalized header -> field.
    private var fields: [String: ClaimField]

    public static let none = ColumnMapping(fields: [:])

    init(fields: [String: ClaimField]) {
        self.fields = fields
    }

    /// Builds a mapping from canonical name -> headers.
    public init(_ headersByCanonicalName: [String: [String]], file: String) throws {
        var fields: [String: ClaimField] = [:]
        for (name, headers) in headersByCanonicalName.sorted(by: { $0.key < $1.key }) {
            guard let field = ClaimField(canonicalName: name) else {
                throw IngestError.badColumnMapping(
                    file: file,
                    problem: "unknown field '\(name)'; fields are: "
                        + ClaimField.all.map(\.canonicalName).joined(separator: ", "))
            }
            for header in headers {
                let key = ClaimField.normalize(header)
                guard !key.isEmpty else {
                    throw IngestError.badColumnMapping(file: file, problem: "field '\(name)' maps to an empty header")
                }
                if let other = fields[key], other != field {
                    throw IngestError.badColumnMapping(
                        file: file, problem: "header '\(header)' is mapped to both \(other) and \(field)")
                }
                fields[key] = field
            }
        }
        self.fields = fields
    }

    /// Reads a `--columns` YAML file.
    public init(contentsOf path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw IngestError.cannotOpen(file: path, reason: "cannot read the column mapping file")
        }
        let node: Any?
        do {
            node = try Yams.load(yaml: text)
        } catch {
            throw IngestError.badColumnMapping(file: path, problem: "not valid YAML: \(error)")
        }
        guard let dictionary = node as? [String: Any] else {
            throw IngestError.badColumnMapping(file: path, problem: "expected a mapping of field names to headers")
        }
        var headers: [String: [String]] = [:]
        for (key, value) in dictionary {
            switch value {
            case let header as String: headers[key] = [header]
            case let list as [Any] where list.allSatisfy({ $0 is String }):
                headers[key] = list.compactMap { $0 as? String }
            case let number as Int: headers[key] = [String(number)]
            default:
                throw IngestError.badColumnMapping(
                    file: path, problem: "'\(key)' must name a header or a list of headers")
            }
        }
        try self.init(headers, file: path)
    }

    func field(forNormalizedHeader key: String) -> ClaimField? {
        fields[key]
    }
}
