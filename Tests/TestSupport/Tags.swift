import Foundation
import Testing

extension Tag {
    /// A suite that takes seconds, not milliseconds: it runs the binary on large inputs,
    /// kills runs, or drives a browser. Such a suite also carries `.skippedInFastRuns`.
    @Tag public static var slow: Self
}

extension Trait where Self == ConditionTrait {
    /// Leaves a slow suite out when the tests run with `PUMPAUDIT_TESTS=fast`, so that a
    /// developer can run the fast ones alone (`swift test` in this toolchain cannot
    /// filter by tag).
    public static var skippedInFastRuns: Self {
        .disabled(
            if: ProcessInfo.processInfo.environment["PUMPAUDIT_TESTS"] == "fast",
            "a slow suite: PUMPAUDIT_TESTS=fast leaves it out")
    }
}
