/// A rule's settings: a struct whose every setting is a `@Setting` property, with an
/// `init()` that leaves them at their defaults.
public protocol RuleSettings: Sendable, Equatable {
    init()
}

/// The settings of a rule that has none.
public struct NoSettings: RuleSettings {
    public init() {}
}

extension RuleSettings {
    /// Every setting's declaration, in the order the properties are declared.
    public static var declarations: [any AnySettingDeclaration] {
        Self().storage.map(\.anyDeclaration)
    }

    /// The settings in force, by key.
    public var values: [String: any Sendable] {
        Dictionary(uniqueKeysWithValues: storage.map { ($0.anyDeclaration.key, $0.anyValue) })
    }

    /// These settings with `changes` (key -> a value its declaration read) in place.
    ///
    /// Swift cannot write a struct's properties by name, so the settings are built
    /// again: `init()` runs with every value bound, and each `@Setting` takes its own
    /// (SwiftLint generates the same code per configuration with a macro instead).
    public func replacing(_ changes: [String: any Sendable]) -> Self {
        RuleSettingsBuilder.$values.withValue(values.merging(changes) { $1 }) { Self() }
    }

    /// The `@Setting` properties, found by reflection.
    private var storage: [any SettingStorage] {
        Mirror(reflecting: self).children.compactMap { $0.value as? any SettingStorage }
    }
}

/// The values `RuleSettings.replacing(_:)` binds while it builds settings.
enum RuleSettingsBuilder {
    @TaskLocal static var values: [String: any Sendable]?

    static func value<Value>(for key: String, as type: Value.Type) -> Value? {
        guard let value = values?[key] else { return nil }
        guard let typed = value as? Value else {
            preconditionFailure("setting \(key) was given a \(Swift.type(of: value)), not a \(Value.self)")
        }
        return typed
    }
}

/// A rule's settings in force for each payer: the run's own, and those of every payer
/// that `pumpaudit.yml` gives settings of its own. A rule that declares a setting
/// `perPayer` reads its settings for each line here.
///
/// A class, so that a rule that holds it is cheap to copy: a closure that captures the
/// rule (`lines.filter(isBilled)`) then retains one reference, not every set and table
/// of the settings.
public final class PayerSettings<Settings: RuleSettings>: Sendable {
    public let run: Settings
    public let byPayer: [String: Settings]

    public init(run: Settings, byPayer: [String: Settings]) {
        self.run = run
        self.byPayer = byPayer
    }

    /// The settings for a line of `payer`. Read in place (`settings[payer].limit`
    /// copies the one value, not every set and table of the settings).
    public subscript(payer: String?) -> Settings {
        _read {
            if !byPayer.isEmpty, let payer, let settings = byPayer[payer] {
                yield settings
            } else {
                yield run
            }
        }
    }
}
