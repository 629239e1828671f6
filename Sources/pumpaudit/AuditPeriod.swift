import ClaimModel

/// The dates whose lines a run reports findings on: `--period 2026-10`, or
/// `--from 2026-10-01 --to 2026-10-31`, either end of which may be left open. Lines
/// outside it are context only.
struct AuditPeriod: Sendable, Hashable, CustomStringConvertible {
    /// The first and last dates in the period; nil for an open end.
    let first: ServiceDate?
    let last: ServiceDate?
    /// How the user named it, for the reports and the history store: `2026-10`,
    /// `2026-10-01..2026-10-31`, `from 2026-10-01` or `up to 2026-10-31`.
    let label: String

    /// A range of dates, at least one end of it given.
    init(from first: ServiceDate?, to last: ServiceDate?) throws {
        switch (first, last) {
        case (let first?, let last?):
            guard first <= last else { throw AuditPeriodError.reversed(first: first, last: last) }
            label = "\(first)..\(last)"
        case (let first?, nil):
            label = "from \(first)"
        case (nil, let last?):
            label = "up to \(last)"
        case (nil, nil):
            preconditionFailure("a period needs a first or a last date")
        }
        self.first = first
        self.last = last
    }

    /// A calendar month written `YYYY-MM`.
    init(month text: String) throws {
        guard let first = ServiceDate(text, layout: .month) else { throw AuditPeriodError.badMonth(text) }
        let (year, month, _) = first.components
        self.first = first
        last = ServiceDate(year: year, month: month, day: ServiceDate.daysIn(month: month, year: year))!
        label = text
    }

    /// A date written `YYYY-MM-DD`.
    static func date(_ text: String) throws -> ServiceDate {
        guard let date = ServiceDate(text, layout: .dashed) else { throw AuditPeriodError.badDate(text) }
        return date
    }

    func contains(_ date: ServiceDate) -> Bool {
        (first.map { $0 <= date } ?? true) && (last.map { date <= $0 } ?? true)
    }

    var description: String { label }
}

enum AuditPeriodError: Error, Equatable, CustomStringConvertible {
    case badMonth(String)
    case badDate(String)
    case reversed(first: ServiceDate, last: ServiceDate)

    var description: String {
        switch self {
        case .badMonth(let text): return "--period '\(text)': expected a month as YYYY-MM"
        case .badDate(let text): return "'\(text)': expected a date as YYYY-MM-DD"
        case .reversed(let first, let last): return "the period starts (\(first)) after it ends (\(last))"
        }
    }
}
