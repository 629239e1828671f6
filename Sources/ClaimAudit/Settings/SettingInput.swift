/// A setting's value as a settings file writes it, before the setting reads it: text,
/// a list or a mapping, each part with the line it is on. The configuration reader
/// builds it from YAML, so that rules declare how they read a value without knowing
/// the file format.
public struct SettingInput: Sendable {
    public enum Shape: Sendable {
        case text(String)
        case list([SettingInput])
        /// Keys are text, in the file's order.
        case mapping([(key: SettingInput, value: SettingInput)])
    }

    public var shape: Shape
    /// The line in the file, for messages.
    public var line: Int?

    public init(_ shape: Shape, line: Int?) {
        self.shape = shape
        self.line = line
    }

    /// A value a setting cannot take: where, and why. `keyPath` names the part of the
    /// value at fault (".KEY" in a mapping), empty for the whole value.
    public struct Problem: Error, Sendable {
        public var line: Int?
        public var keyPath: String
        public var message: String
    }

    func problem(_ message: String, at keyPath: String = "") -> Problem {
        Problem(line: line, keyPath: keyPath, message: message)
    }

    /// The text of a single value.
    func text() throws -> String {
        guard case .text(let text) = shape else { throw problem("expected a single value") }
        return text
    }

    func list() throws -> [SettingInput] {
        guard case .list(let items) = shape else { throw problem("expected a list") }
        return items
    }

    func mapping() throws -> [(key: SettingInput, value: SettingInput)] {
        guard case .mapping(let pairs) = shape else { throw problem("expected a mapping of keys to values") }
        return pairs
    }
}
