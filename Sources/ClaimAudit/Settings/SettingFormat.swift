import ClaimModel

/// How a setting reads its value from a settings file, and writes it back as YAML
/// (flow style, on one line) that reads as the same value: what `pumpaudit rules`
/// shows as the default, and the summary as a changed setting.
public struct SettingFormat<Value: Sendable & Equatable>: Sendable {
    let read: @Sendable (SettingInput) throws -> Value
    let write: @Sendable (Value) -> String

    public init(
        read: @escaping @Sendable (SettingInput) throws -> Value, write: @escaping @Sendable (Value) -> String
    ) {
        self.read = read
        self.write = write
    }
}

extension SettingFormat where Value: LosslessStringConvertible & Comparable {
    /// A number within `range`; `kind` names it in the message.
    static func number(
        in range: ClosedRange<Value>, kind: String, write: @escaping @Sendable (Value) -> String
    ) -> Self {
        Self(
            read: { input in
                guard let value = Value(try input.text()), range.contains(value) else {
                    throw input.problem("expected \(kind) from \(range.lowerBound) to \(range.upperBound)")
                }
                return value
            }, write: write)
    }
}

extension SettingFormat where Value == Int {
    public static func wholeNumber(in range: ClosedRange<Int>) -> Self {
        number(in: range, kind: "a whole number") { String($0) }
    }
}

extension SettingFormat where Value == Double {
    /// Written without a fraction when it has none ("2", "0.5").
    public static func number(in range: ClosedRange<Double>) -> Self {
        number(in: range, kind: "a number") { value in
            value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        }
    }
}

extension SettingFormat where Value == ServiceDate {
    /// A date written `YYYY-MM-DD`.
    public static var date: Self {
        Self(
            read: { input in
                let text = try input.text()
                guard let date = ServiceDate(text, layout: .dashed) else {
                    throw input.problem("'\(text)' is not a date written YYYY-MM-DD")
                }
                return date
            }, write: { $0.description })
    }
}

extension SettingFormat where Value == Bool {
    /// `true` or `false`.
    public static var flag: Self {
        Self(
            read: { input in
                switch try input.text().lowercased() {
                case "true": return true
                case "false": return false
                case let text: throw input.problem("'\(text)' is neither true nor false")
                }
            }, write: { $0 ? "true" : "false" })
    }
}

extension SettingFormat where Value == String {
    /// Text as written.
    public static var text: Self {
        Self(read: { try $0.text() }, write: YAMLText.scalar)
    }

    /// A code, modifier or credential, upper-cased.
    public static var code: Self {
        Self(read: { try $0.text().uppercased() }, write: YAMLText.scalar)
    }

    /// A place of service: two digits, "2" read as "02".
    public static var place: Self {
        Self(
            read: { input in
                let text = try input.text()
                guard let place = PlaceOfServiceCodes.normalized(text) else {
                    throw input.problem("'\(text)' is not a place of service code")
                }
                return place
            }, write: YAMLText.scalar)
    }

    /// A 10-digit NPI.
    public static var npi: Self {
        Self(
            read: { input in
                let text = try input.text()
                guard text.count == 10, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    throw input.problem("'\(text)' is not a 10-digit NPI")
                }
                return text
            }, write: YAMLText.scalar)
    }
}

extension SettingFormat {
    /// A list whose order and repeats mean nothing; written sorted.
    public static func set<Element: Comparable & Sendable>(of element: SettingFormat<Element>) -> Self
    where Value == Set<Element> {
        Self(
            read: { input in Set(try input.list().map(element.read)) },
            write: { value in "[" + value.sorted().map(element.write).joined(separator: ", ") + "]" })
    }

    /// A mapping of keys to values; written sorted by key. A problem with an entry is
    /// named by its key.
    public static func mapping<Entry: Sendable & Equatable>(
        _ key: SettingFormat<String>, to entry: SettingFormat<Entry>
    ) -> Self where Value == [String: Entry] {
        Self(
            read: { input in
                var result: [String: Entry] = [:]
                for (keyInput, valueInput) in try input.mapping() {
                    let name = (try? keyInput.text()) ?? ""
                    do {
                        result[try key.read(keyInput)] = try entry.read(valueInput)
                    } catch var problem as SettingInput.Problem {
                        problem.keyPath = ".\(name)" + problem.keyPath
                        throw problem
                    }
                }
                return result
            },
            write: { value in
                "{"
                    + value.sorted { $0.key < $1.key }.map { key.write($0.key) + ": " + entry.write($0.value) }
                    .joined(separator: ", ") + "}"
            })
    }
}

/// Scalars written as YAML flow text.
enum YAMLText {
    /// Plain when YAML reads it back as the same text, else double-quoted.
    @Sendable static func scalar(_ text: String) -> String {
        let plain =
            text.first.map { $0.isASCII && ($0.isLetter || $0.isNumber) } == true && text.last != " "
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || " ./_-".contains($0)) }
        if plain { return text }
        var quoted = "\""
        for character in text {
            switch character {
            case "\\", "\"": quoted += "\\\(character)"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            default: quoted.append(character)
            }
        }
        return quoted + "\""
    }
}
