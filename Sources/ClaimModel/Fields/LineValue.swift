/// A value in a line's value store.
public enum LineValue: Sendable, Hashable {
    case text(String)
    case wholeNumber(Int)
    case decimal(Double)
    case money(Money)
    case date(ServiceDate)
}

/// A type a `LineField` gives rules: one case of `LineValue`.
public protocol LineValueConvertible: Sendable {
    init?(_ value: LineValue)
    var lineValue: LineValue { get }
}

extension String: LineValueConvertible {
    public init?(_ value: LineValue) {
        guard case .text(let text) = value else { return nil }
        self = text
    }
    public var lineValue: LineValue { .text(self) }
}

extension Int: LineValueConvertible {
    public init?(_ value: LineValue) {
        guard case .wholeNumber(let number) = value else { return nil }
        self = number
    }
    public var lineValue: LineValue { .wholeNumber(self) }
}

extension Double: LineValueConvertible {
    public init?(_ value: LineValue) {
        guard case .decimal(let number) = value else { return nil }
        self = number
    }
    public var lineValue: LineValue { .decimal(self) }
}

extension Money: LineValueConvertible {
    public init?(_ value: LineValue) {
        guard case .money(let amount) = value else { return nil }
        self = amount
    }
    public var lineValue: LineValue { .money(self) }
}

extension ServiceDate: LineValueConvertible {
    public init?(_ value: LineValue) {
        guard case .date(let date) = value else { return nil }
        self = date
    }
    public var lineValue: LineValue { .date(self) }
}

/// A line's value store: the values of its `LineField`s, by slot (`ClaimField.stored`).
///
/// Only the values a line has are kept, in slot order, so that a line without any
/// costs an empty array, and two lines with the same values are equal however they
/// were set.
public struct LineValues: Sendable, Hashable {
    struct Entry: Sendable, Hashable {
        let slot: Int
        let value: LineValue
    }

    private(set) var entries: [Entry] = []

    public init() {}

    public var isEmpty: Bool { entries.isEmpty }

    subscript(slot: Int) -> LineValue? {
        get { entries.first { $0.slot == slot }?.value }
        set {
            let index = entries.firstIndex { $0.slot >= slot } ?? entries.endIndex
            let present = index < entries.endIndex && entries[index].slot == slot
            switch (newValue, present) {
            case (let value?, true): entries[index] = Entry(slot: slot, value: value)
            case (let value?, false): entries.insert(Entry(slot: slot, value: value), at: index)
            case (nil, true): entries.remove(at: index)
            case (nil, false): break
            }
        }
    }
}
