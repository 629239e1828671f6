import ClaimModel

/// Checks a finished run's inputs for what makes its result untrustworthy to a cron
/// job: an input whose every row was rejected, a run that audited nothing, or more
/// rows rejected than `--max-rejected` allows. Each problem makes the run exit 2
/// after its reports are written, so the rejected rows can be read.
struct InputHealth {
    /// The largest share of rows read that may be rejected, from 0 to 1.
    var maxRejectedShare: Double

    /// One sentence per problem, naming the file where there is one; empty when the inputs are sound.
    func problems(in inputs: [InputFileSummary]) -> [String] {
        var problems: [String] = []
        for input in inputs where input.rowsRead > 0 && input.rowsRejected == input.rowsRead {
            problems.append(
                "\(input.file): all \(input.rowsRead) rows were rejected (see rejected.csv for the reasons)")
        }
        // Footer rows (totals, notes below the data) are rejected, but they are how the
        // export was written, not rows lost: they do not count toward the share.
        let read = inputs.reduce(0) { $0 + $1.rowsRead - $1.footerRows }
        let rejected = inputs.reduce(0) { $0 + $1.rowsRejected - $1.footerRows }
        if read - rejected == 0 {
            problems.append("the run audited nothing: the inputs hold no row that could be read")
        } else if Double(rejected) > Double(read) * maxRejectedShare {
            problems.append(
                "\(rejected) of \(read) rows (\(Self.percent(Double(rejected) / Double(read)))) were rejected, "
                    + "more than --max-rejected \(Self.percent(maxRejectedShare)) (see rejected.csv)")
        }
        return problems
    }

    /// "5%", "12.5%".
    static func percent(_ share: Double) -> String {
        let value = (share * 1000).rounded() / 10
        return value == value.rounded() ? "\(Int(value))%" : "\(value)%"
    }
}
