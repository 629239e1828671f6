import Foundation
import Testing

@testable import ClaimAudit

/// The upper tail of the binomial against values computed elsewhere: SciPy 1.x
/// `scipy.stats.binom.sf(k - 1, n, p)`, and a few exact cases by hand.
@Suite struct BinomialTestTests {
    struct Case: Sendable, CustomStringConvertible {
        var k: Int
        var n: Int
        var p: Double
        var expected: Double
        var description: String { "P(X >= \(k) | n = \(n), p = \(p))" }
    }

    static let scipy: [Case] = [
        Case(k: 19, n: 20, p: 0.15, expected: 3.801876861391065e-15),
        Case(k: 5, n: 20, p: 0.15, expected: 0.1701531537313461),
        Case(k: 3, n: 20, p: 0.15, expected: 0.5951037219925648),
        Case(k: 180, n: 1000, p: 0.15, expected: 0.005270407186153798),
        // Large n: the coefficient C(100000, 16000) alone has about 19,000 digits.
        Case(k: 16000, n: 100_000, p: 0.15, expected: 8.611846384263757e-19),
        Case(k: 30, n: 40, p: 0.5, expected: 0.0011107168866146822),
        // By hand: all ten heads of a fair coin, 1/1024; one of one at p.
        Case(k: 10, n: 10, p: 0.5, expected: 1.0 / 1024),
        Case(k: 1, n: 1, p: 0.001, expected: 0.001),
        Case(k: 0, n: 10, p: 0.3, expected: 1),
    ]

    @Test(arguments: scipy)
    func upperTailMatchesKnownValues(_ c: Case) {
        let p = BinomialTest.upperTail(successes: c.k, trials: c.n, probability: c.p)
        #expect(abs(p - c.expected) <= 1e-9 * c.expected, "\(c): \(p)")
    }

    @Test func edgesAreExact() {
        #expect(BinomialTest.upperTail(successes: 21, trials: 20, probability: 0.5) == 0)
        #expect(BinomialTest.upperTail(successes: 1, trials: 20, probability: 0) == 0)
        #expect(BinomialTest.upperTail(successes: 20, trials: 20, probability: 1) == 1)
        // Far in the tail the value underflows to zero, never to NaN or a negative.
        let far = BinomialTest.upperTail(successes: 950, trials: 1000, probability: 0.15)
        #expect(far == 0 || (far > 0 && far < 1e-300))
    }

    @Test func theTailFallsAsTheCountRises() {
        var previous = 1.0
        for k in 0...60 {
            let p = BinomialTest.upperTail(successes: k, trials: 60, probability: 0.2)
            #expect(p <= previous + 1e-15, "k = \(k)")
            previous = p
        }
    }

    /// The control limits are the counts the test itself flags: at the upper limit's
    /// count the tail is at most the level, one below it above the level.
    @Test(arguments: [20, 57, 400])
    func controlLimitsAgreeWithTheTest(n: Int) {
        for level in [0.025, 0.001] {
            let limit = BinomialTest.upperLimit(trials: n, probability: 0.15, tail: level)
            let k = Int((limit * Double(n)).rounded())
            #expect(BinomialTest.upperTail(successes: k, trials: n, probability: 0.15) <= level)
            #expect(BinomialTest.upperTail(successes: k - 1, trials: n, probability: 0.15) > level)
            let lower = BinomialTest.lowerLimit(trials: n, probability: 0.15, tail: level)
            #expect(lower < 0.15 && lower >= 0 && limit > 0.15)
        }
        // The funnel narrows with volume.
        #expect(
            BinomialTest.upperLimit(trials: 400, probability: 0.15, tail: 0.001)
                < BinomialTest.upperLimit(trials: 20, probability: 0.15, tail: 0.001))
    }
}
