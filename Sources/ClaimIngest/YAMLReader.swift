import Foundation
import Yams

/// Reads a YAML file strictly, naming the file, the line and the key of anything
/// it cannot accept: the `--columns` file here, and the configuration and
/// suppressions files of the command.
public struct YAMLReader {
    public let file: String

    public init(file: String) {
        self.file = file
    }

    /// Problems in a YAML file the run was given: the run cannot go on.
    public struct Problem: Error, CustomStringConvertible {
        public let file: String
        public let line: Int?
        public let key: String
        public let message: String

        public init(file: String, line: Int?, key: String, message: String) {
            self.file = file
            self.line = line
            self.key = key
            self.message = message
        }

        public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(key): \(message)" }
    }

    /// The file's top node, or nil for an empty file.
    public func root() throws -> Node? {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw Problem(file: file, line: nil, key: "(file)", message: "cannot be read")
        }
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.problem(error, file: file)
        } catch {
            throw Problem(file: file, line: nil, key: "(file)", message: "not valid YAML")
        }
    }

    /// A YAML syntax error with its line and column, but not the text of the line:
    /// Yams quotes it, and in a suppressions file that line may hold a patient id.
    static func problem(_ error: YamlError, file: String) -> Problem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return Problem(
                file: file, line: mark.line, key: "(file)",
                message: "not valid YAML at column \(mark.column): \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return Problem(
                file: file, line: context.mark.line, key: "(file)",
                message: "a key appears twice in one mapping: \(duplicates.joined(separator: ", "))")
        case .reader(let problem, _, _, _):
            return Problem(file: file, line: nil, key: "(file)", message: "not valid YAML: \(problem)")
        default:
            return Problem(file: file, line: nil, key: "(file)", message: "not valid YAML")
        }
    }

    public func fail(_ node: Node?, _ key: String, _ message: String) -> Problem {
        Problem(file: file, line: node?.mark.map { $0.line }, key: key, message: message)
    }

    /// The pairs of a mapping, keys as strings; anything else is an error.
    public func mapping(_ node: Node, _ key: String) throws -> [(key: String, value: Node)] {
        guard let mapping = node.mapping else { throw fail(node, key, "expected a mapping of keys to values") }
        return try mapping.map { pair in
            guard let name = pair.key.string else { throw fail(pair.key, key, "keys must be text") }
            return (name, pair.value)
        }
    }

    public func sequence(_ node: Node, _ key: String) throws -> [Node] {
        guard let sequence = node.sequence else { throw fail(node, key, "expected a list") }
        return Array(sequence)
    }

    public func string(_ node: Node, _ key: String) throws -> String {
        guard let scalar = node.scalar else { throw fail(node, key, "expected a single value") }
        return scalar.string
    }

    public func strings(_ node: Node, _ key: String) throws -> [String] {
        try sequence(node, key).map { try string($0, key) }
    }

    public func int(_ node: Node, _ key: String, in range: ClosedRange<Int>) throws -> Int {
        guard let value = Int(try string(node, key)), range.contains(value) else {
            throw fail(node, key, "expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    public func double(_ node: Node, _ key: String, in range: ClosedRange<Double>) throws -> Double {
        guard let value = Double(try string(node, key)), range.contains(value) else {
            throw fail(node, key, "expected a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    public func bool(_ node: Node, _ key: String) throws -> Bool {
        switch try string(node, key).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail(node, key, "expected true or false")
        }
    }
}
