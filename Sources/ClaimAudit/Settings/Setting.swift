/// One setting of a rule, declared once, on the property that holds it: the key in
/// `pumpaudit.yml`, the default (the property's initial value), how a value is read,
/// what it means, and whether a payer may have its own.
///
/// ```swift
/// @Setting("min_days", .wholeNumber(in: 0...3650), "services closer than this are flagged", perPayer: true)
/// public var minimumDays = 14
/// ```
///
/// Everything else is derived: `pumpaudit rules` lists the declarations, the
/// configuration file reads every key by them, and the summary names the settings
/// whose values differ from their defaults (SwiftLint's `@ConfigurationElement`).
@propertyWrapper
public struct Setting<Value: Sendable & Equatable>: Sendable, Equatable {
    public var wrappedValue: Value
    /// The same for every copy of the settings, so shared.
    public let declaration: SettingDeclaration<Value>

    /// The setting with its default. While `RuleSettings.replacing(_:)` builds settings,
    /// the value it was given for `key` takes the default's place.
    public init(
        wrappedValue: Value, _ key: String, _ format: SettingFormat<Value>, _ meaning: String, perPayer: Bool = false
    ) {
        declaration = SettingDeclaration(
            key: key, defaultValue: wrappedValue, format: format, meaning: meaning, perPayer: perPayer)
        self.wrappedValue = RuleSettingsBuilder.value(for: key, as: Value.self) ?? wrappedValue
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.wrappedValue == b.wrappedValue && a.declaration.key == b.declaration.key
    }
}

/// What a `@Setting` declares, apart from the value in force.
public final class SettingDeclaration<Value: Sendable & Equatable>: AnySettingDeclaration {
    public let key: String
    public let defaultValue: Value
    public let format: SettingFormat<Value>
    public let meaning: String
    public let perPayer: Bool

    init(key: String, defaultValue: Value, format: SettingFormat<Value>, meaning: String, perPayer: Bool) {
        self.key = key
        self.defaultValue = defaultValue
        self.format = format
        self.meaning = meaning
        self.perPayer = perPayer
    }

    public var defaultText: String { format.write(defaultValue) }

    public func read(_ input: SettingInput) throws -> any Sendable { try format.read(input) }

    public func text(of value: any Sendable) -> String { format.write(value as! Value) }

    public func isDefault(_ value: any Sendable) -> Bool { value as? Value == defaultValue }
}

/// A setting's declaration whatever its type: what the configuration reader and
/// `pumpaudit rules` work with.
public protocol AnySettingDeclaration: AnyObject, Sendable {
    /// The key in `pumpaudit.yml`, under the rule's identifier.
    var key: String { get }
    var meaning: String { get }
    /// Whether `payers:` may give the setting its own value for one payer's lines.
    var perPayer: Bool { get }
    /// The default as YAML: written into `pumpaudit.yml`, it reads as the default.
    var defaultText: String { get }
    /// The value `input` gives the setting; throws `SettingInput.Problem`.
    func read(_ input: SettingInput) throws -> any Sendable
    /// A value read by `read`, as YAML.
    func text(of value: any Sendable) -> String
    func isDefault(_ value: any Sendable) -> Bool
}

/// The stored side of a `@Setting`, as reflection finds it.
protocol SettingStorage {
    var anyDeclaration: any AnySettingDeclaration { get }
    var anyValue: any Sendable { get }
}

extension Setting: SettingStorage {
    var anyDeclaration: any AnySettingDeclaration { declaration }
    var anyValue: any Sendable { wrappedValue }
}
