/// A calendar date of service, stored as a day number (days since 1970-01-01).
///
/// Claims carry dates, never times, so a day number is exact, orders correctly,
/// and turns an interval between two services into a subtraction. Conversions
/// use Howard Hinnant's civil-calendar algorithms: plain integer arithmetic that
/// keeps Foundation's formatters out of the ingest hot path.
public struct ServiceDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    public let dayNumber: Int32

    public init(dayNumber: Int32) {
        self.dayNumber = dayNumber
    }

    /// A date from its parts, or nil when the parts name no real day (Feb 30, month 13).
    public init?(year: Int, month: Int, day: Int) {
        guard (1800...2999).contains(year), (1...12).contains(month),
            (1...ServiceDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        self.dayNumber = Int32(era * 146_097 + dayOfEra - 719_468)
    }

    /// The date's year, month and day.
    public var components: (year: Int, month: Int, day: Int) {
        let z = Int(dayNumber) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// The calendar month this date falls in, as `YYYY-MM`.
    public var monthKey: String {
        let (year, month, _) = components
        return "\(year)-\(month < 10 ? "0" : "")\(month)"
    }

    /// ISO 8601 `YYYY-MM-DD`, the form every report uses.
    public var description: String {
        let (year, month, day) = components
        return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    /// Whole days from `earlier` to this date.
    public func days(since earlier: ServiceDate) -> Int {
        Int(dayNumber) - Int(earlier.dayNumber)
    }

    public func adding(days: Int) -> ServiceDate {
        ServiceDate(dayNumber: dayNumber + Int32(days))
    }

    public static func < (lhs: ServiceDate, rhs: ServiceDate) -> Bool {
        lhs.dayNumber < rhs.dayNumber
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
