import Foundation

/// The one-sided exact binomial test of a provider against its peers, and the control
/// limits of a funnel plot.
///
/// Every probability is summed in log space (`lgamma`), so that a provider with a
/// million refills neither overflows the binomial coefficient nor underflows a term.
public enum BinomialTest {
    /// P(X >= k) for X ~ Binomial(n, p): the upper-tail p-value of k successes in n
    /// trials when each succeeds with probability p.
    public static func upperTail(successes k: Int, trials n: Int, probability p: Double) -> Double {
        precondition(n >= 0 && (0...1).contains(p), "a binomial needs n >= 0 and p in [0, 1]")
        if k <= 0 { return 1 }
        if k > n { return 0 }
        if p == 0 { return 0 }
        if p == 1 { return 1 }
        let logP = log(p)
        let logQ = log1p(-p)
        let logNFactorial = logFactorial(n)
        let mode = Double(n) * p
        // An online log-sum-exp: `largest` is the largest log-term so far, `sum` the terms
        // scaled by it. Past the mode the terms only fall; once a term is e^-40 of the
        // largest, the rest (fewer than n terms, falling geometrically) cannot change a double.
        var largest = -Double.infinity
        var sum = 0.0
        for i in k...n {
            let term =
                logNFactorial - logFactorial(i) - logFactorial(n - i) + Double(i) * logP + Double(n - i) * logQ
            if term > largest {
                sum = sum * exp(largest - term) + 1
                largest = term
            } else {
                sum += exp(term - largest)
            }
            if Double(i) > mode && term < largest - 40 { break }
        }
        return min(1, exp(largest + log(sum)))
    }

    /// log(n!), exact for small n and from `lgamma` beyond.
    static func logFactorial(_ n: Int) -> Double {
        lgamma(Double(n) + 1)
    }

    /// The smallest k with P(X >= k) <= `tail` for X ~ Binomial(n, p), as a share k / n:
    /// the upper control limit of a funnel plot at volume n. A provider above it at
    /// that volume would be flagged at significance `tail` (given the ratio test too).
    public static func upperLimit(trials n: Int, probability p: Double, tail: Double) -> Double {
        guard n > 0 else { return 1 }
        // The tail falls as k grows: a binary search over k.
        var low = 0
        var high = n + 1
        while low < high {
            let middle = (low + high) / 2
            if upperTail(successes: middle, trials: n, probability: p) <= tail {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return min(1, Double(low) / Double(n))
    }

    /// The largest k with P(X <= k) <= `tail`, as a share: the lower control limit.
    public static func lowerLimit(trials n: Int, probability p: Double, tail: Double) -> Double {
        guard n > 0 else { return 0 }
        // P(X <= k) = 1 - P(X >= k + 1); by symmetry, the failures' upper tail.
        let failures = upperLimit(trials: n, probability: 1 - p, tail: tail)
        return max(0, 1 - failures)
    }
}
