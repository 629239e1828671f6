/// An amount of US dollars held exactly, in cents.
///
/// Amounts at risk are summed over thousands of findings; binary floating point
/// would drift, so money never passes through `Double`.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var cents: Int64

    public init(cents: Int64) {
        self.cents = cents
    }

    public static let zero = Money(cents: 0)

    /// `1234.50`, with a leading minus for negative amounts and no thousands separator,
    /// so that machine exports stay numeric.
    public var description: String {
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return "\(cents < 0 ? "-" : "")\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    public static func + (lhs: Money, rhs: Money) -> Money {
        Money(cents: lhs.cents &+ rhs.cents)
    }

    public static func += (lhs: inout Money, rhs: Money) {
        lhs = lhs + rhs
    }

    public static func < (lhs: Money, rhs: Money) -> Bool {
        lhs.cents < rhs.cents
    }
}
